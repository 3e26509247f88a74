# fish completion for rcr: the candidates come from rcr_completer, which
# speaks aws_completer's protocol (the line up to the cursor in COMP_LINE,
# one candidate per line out).
function __rcr_complete
    set -lx COMP_LINE (commandline -cp)
    # An empty token under the cursor is a new word: the line must end in
    # whitespace for rcr_completer to see it.
    set -l token (commandline -ct)
    if test -z "$token"; and not string match -qr '\s$' -- "$COMP_LINE"
        set COMP_LINE "$COMP_LINE "
    end
    rcr_completer 2>/dev/null
end
complete -c rcr -f -a '(__rcr_complete)'
