# bash completion for rcr: the candidates come from rcr_completer, which
# speaks aws_completer's protocol (COMP_LINE and COMP_POINT in, one
# candidate per line out). `complete -C rcr_completer rcr` works too; this
# function adds what bash needs on top: bash splits the word under the
# cursor at `=` and `:` (COMP_WORDBREAKS), so the part of each candidate
# that is already on the line before such a split is dropped
# (`imageTag=v1`, ARNs), and no space follows a candidate that ends in `=`
# or `/` (a shorthand key, a directory).
_rcr() {
    local line=${COMP_LINE:0:COMP_POINT}
    local word=${line##*[[:space:]]}
    local tail=${word##*[${COMP_WORDBREAKS// /}]}
    local before=${word:0:${#word}-${#tail}}
    local candidate
    COMPREPLY=()
    while IFS= read -r candidate; do
        [[ -n $candidate ]] || continue
        if [[ -n $before && $candidate == "$before"* ]]; then
            candidate=${candidate:${#before}}
        fi
        COMPREPLY+=("$candidate")
    done < <(COMP_LINE=$COMP_LINE COMP_POINT=$COMP_POINT rcr_completer 2>/dev/null)
    if [[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *[=/] ]]; then
        compopt -o nospace 2>/dev/null
    fi
}
complete -F _rcr rcr
