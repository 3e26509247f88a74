# PowerShell completion for rcr: the candidates come from rcr_completer,
# which speaks aws_completer's protocol (the line up to the cursor in
# COMP_LINE, one candidate per line out).
Register-ArgumentCompleter -Native -CommandName rcr -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)
    $line = $commandAst.ToString()
    $point = $cursorPosition - $commandAst.Extent.StartOffset
    if ($line.Length -lt $point) {
        $line = $line.PadRight($point)
    }
    $line = $line.Substring(0, $point)
    $env:COMP_LINE = $line
    $env:COMP_POINT = $line.Length
    try {
        rcr_completer 2>$null | Where-Object { $_ } | ForEach-Object {
            [System.Management.Automation.CompletionResult]::new($_, $_, 'ParameterValue', $_)
        }
    } finally {
        Remove-Item Env:\COMP_LINE -ErrorAction SilentlyContinue
        Remove-Item Env:\COMP_POINT -ErrorAction SilentlyContinue
    }
}
