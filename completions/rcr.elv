# elvish completion for rcr: the candidates come from rcr_completer, which
# speaks aws_completer's protocol (the line up to the cursor in COMP_LINE,
# one candidate per line out).
use str

set edit:completion:arg-completer[rcr] = {|@words|
    var line = (str:join ' ' $words)
    e:env COMP_LINE=$line rcr_completer 2>/dev/null | from-lines
}
