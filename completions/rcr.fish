# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_rcr_global_optspecs
    string join \n debug endpoint-url= no-verify-ssl no-paginate query= profile= region= version no-sign-request ca-bundle= cli-read-timeout= cli-connect-timeout= no-cli-pager cli-auto-prompt no-cli-auto-prompt output= color= cli-binary-format=
end

function __fish_rcr_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_rcr_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_rcr_using_subcommand
    set -l cmd (__fish_rcr_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c rcr -n "__fish_rcr_needs_command" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_needs_command" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_needs_command" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_needs_command" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_needs_command" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_needs_command" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_needs_command" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_needs_command" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_needs_command" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_needs_command" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_needs_command" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_needs_command" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_needs_command" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_needs_command" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_needs_command" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_needs_command" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_needs_command" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_needs_command" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_needs_command" -f -a "help" -d 'Show help for this command.'
complete -c rcr -n "__fish_rcr_needs_command" -f -a "ecr" -d 'Amazon Elastic Container Registry'
complete -c rcr -n "__fish_rcr_needs_command" -f -a "ecr-public" -d 'Amazon Elastic Container Registry Public'
complete -c rcr -n "__fish_rcr_needs_command" -f -a "image" -d 'ECR chores aws leaves to scripts: list, retag, clean up, gate on scans.'
complete -c rcr -n "__fish_rcr_using_subcommand help" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand help" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand help" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand help" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand help" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand help" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand help" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand help" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand help" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand help" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand help" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand help" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand help" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand help" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand help" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand help" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand help" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand help" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "help" -d 'Show help for this command.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "get-login-password" -d 'Print a password for a container client\'s login.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "batch-check-layer-availability" -d 'Checks the availability of one or more image layers in a repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "batch-delete-image" -d 'Deletes a list of specified images within a repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "batch-get-image" -d 'Gets detailed information for an image.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "batch-get-repository-scanning-configuration" -d 'Gets the scanning configuration for one or more repositories.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "complete-layer-upload" -d 'Informs Amazon ECR that the image layer upload has completed for a specified...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "create-pull-through-cache-rule" -d 'Creates a pull through cache rule.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "create-repository" -d 'Creates a repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "create-repository-creation-template" -d 'Creates a repository creation template.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "delete-lifecycle-policy" -d 'Deletes the lifecycle policy associated with the specified repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "delete-pull-through-cache-rule" -d 'Deletes a pull through cache rule.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "delete-registry-policy" -d 'Deletes the registry permissions policy.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "delete-repository" -d 'Deletes a repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "delete-repository-creation-template" -d 'Deletes a repository creation template.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "delete-repository-policy" -d 'Deletes the repository policy associated with the specified repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "delete-signing-configuration" -d 'Deletes the registry\'s signing configuration.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "deregister-pull-time-update-exclusion" -d 'Removes a principal from the pull time update exclusion list for a registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "describe-image-replication-status" -d 'Returns the replication status for a specified image.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "describe-image-scan-findings" -d 'Returns the scan findings for the specified image.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "describe-image-signing-status" -d 'Returns the signing status for a specified image.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "describe-images" -d 'Returns metadata about the images in a repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "describe-pull-through-cache-rules" -d 'Returns the pull through cache rules for a registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "describe-registry" -d 'Describes the settings for a registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "describe-replication-backfill-results" -d 'Returns the status, progress, and per-image results for a replication backfill.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "describe-repositories" -d 'Describes image repositories in a registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "describe-repository-creation-templates" -d 'Returns details about the repository creation templates in a registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "get-account-setting" -d 'Retrieves the account setting value for the specified setting name.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "get-authorization-token" -d 'Retrieves an authorization token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "get-download-url-for-layer" -d 'Retrieves the pre-signed Amazon S3 download URL corresponding to an image layer.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "get-lifecycle-policy" -d 'Retrieves the lifecycle policy for the specified repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "get-lifecycle-policy-preview" -d 'Retrieves the results of the lifecycle policy preview request for the...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "get-registry-policy" -d 'Retrieves the permissions policy for a registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "get-registry-scanning-configuration" -d 'Retrieves the scanning configuration for a registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "get-repository-policy" -d 'Retrieves the repository policy for the specified repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "get-signing-configuration" -d 'Retrieves the registry\'s signing configuration, which defines rules for...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "initiate-layer-upload" -d 'Notifies Amazon ECR that you intend to upload an image layer.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "list-image-referrers" -d 'Lists the artifacts associated with a specified subject image.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "list-images" -d 'Lists all the image IDs for the specified repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "list-pull-time-update-exclusions" -d 'Lists the IAM principals that are excluded from having their image pull...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "list-replication-backfills" -d 'Lists the replication backfills for a registry, including their status and...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "list-tags-for-resource" -d 'List the tags for an Amazon ECR resource.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "put-account-setting" -d 'Allows you to change the basic scan type version or registry policy scope.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "put-image" -d 'Creates or updates the image manifest and tags associated with an image.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "put-image-scanning-configuration" -d 'Important: The PutImageScanningConfiguration API is being deprecated, in...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "put-image-tag-mutability" -d 'Updates the image tag mutability settings for the specified repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "put-lifecycle-policy" -d 'Creates or updates the lifecycle policy for the specified repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "put-registry-policy" -d 'Creates or updates the permissions policy for your registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "put-registry-scanning-configuration" -d 'Creates or updates the scanning configuration for your private registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "put-replication-configuration" -d 'Creates or updates the replication configuration for a registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "put-signing-configuration" -d 'Creates or updates the registry\'s signing configuration, which defines rules...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "register-pull-time-update-exclusion" -d 'Adds an IAM principal to the pull time update exclusion list for a registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "set-repository-policy" -d 'Applies a repository policy to the specified repository to control access...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "start-image-scan" -d 'Starts a basic image vulnerability scan.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "start-lifecycle-policy-preview" -d 'Starts a preview of a lifecycle policy for the specified repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "start-replication-backfill" -d 'Starts a replication backfill for a registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "stop-replication-backfill" -d 'Stops an in progress replication backfill for a registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "tag-resource" -d 'Adds specified tags to a resource with the specified ARN.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "untag-resource" -d 'Deletes specified tags from a resource.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "update-image-storage-class" -d 'Transitions an image between storage classes.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "update-pull-through-cache-rule" -d 'Updates an existing pull through cache rule.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "update-repository-creation-template" -d 'Updates an existing repository creation template.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "upload-layer-part" -d 'Uploads an image layer part to Amazon ECR.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "validate-pull-through-cache-rule" -d 'Validates an existing pull through cache rule for an upstream registry that...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait" -f -a "wait" -d 'Wait until a particular condition is satisfied.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from help" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-login-password" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l layer-digests -d '(list) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-check-layer-availability" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l image-ids -d '(list) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-delete-image" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l image-ids -d '(list) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l accepted-media-types -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-image" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l repository-names -d '(list) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from batch-get-repository-scanning-configuration" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l upload-id -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l layer-digests -d '(list) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from complete-layer-upload" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l ecr-repository-prefix -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l upstream-registry-url -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l credential-arn -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l custom-role-arn -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l upstream-repository-prefix -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l upstream-registry -d '(string)' -r -f -a "ecr\t''
ecr-public\t''
quay\t''
k8s\t''
docker-hub\t''
github-container-registry\t''
azure-container-registry\t''
gitlab-container-registry\t''
chainguard\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-pull-through-cache-rule" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l tags -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l image-tag-mutability-exclusion-filters -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l image-scanning-configuration -d '(structure)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l encryption-configuration -d '(structure)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l image-tag-mutability -d '(string)' -r -f -a "MUTABLE\t''
IMMUTABLE\t''
IMMUTABLE_WITH_EXCLUSION\t''
MUTABLE_WITH_EXCLUSION\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l prefix -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l description -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l encryption-configuration -d '(structure)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l resource-tags -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l image-tag-mutability-exclusion-filters -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l repository-policy -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l lifecycle-policy -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l custom-role-arn -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l image-tag-mutability -d '(string)' -r -f -a "MUTABLE\t''
IMMUTABLE\t''
IMMUTABLE_WITH_EXCLUSION\t''
MUTABLE_WITH_EXCLUSION\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l applied-for -d '(list) (required)' -r -f -a "REPLICATION\t''
PULL_THROUGH_CACHE\t''
CREATE_ON_PUSH\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from create-repository-creation-template" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-lifecycle-policy" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l ecr-repository-prefix -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-pull-through-cache-rule" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-registry-policy" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l force -d '(boolean)'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l no-force
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l prefix -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-creation-template" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-repository-policy" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from delete-signing-configuration" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l principal-arn -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from deregister-pull-time-update-exclusion" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l image-id -d '(structure) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-replication-status" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l image-id -d '(structure) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l starting-token -d 'A token to specify where to start paginating (the NextToken of a previous run).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l page-size -d 'The size of each page to get in the AWS service call.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l max-items -d 'The total number of items to return in the command\'s output.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-scan-findings" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l image-id -d '(structure) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-image-signing-status" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l image-ids -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l filter -d '(structure)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l starting-token -d 'A token to specify where to start paginating (the NextToken of a previous run).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l page-size -d 'The size of each page to get in the AWS service call.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l max-items -d 'The total number of items to return in the command\'s output.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-images" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l ecr-repository-prefixes -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l starting-token -d 'A token to specify where to start paginating (the NextToken of a previous run).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l page-size -d 'The size of each page to get in the AWS service call.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l max-items -d 'The total number of items to return in the command\'s output.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-pull-through-cache-rules" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-registry" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l replication-backfill-id -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l starting-token -d 'A token to specify where to start paginating (the NextToken of a previous run).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l page-size -d 'The size of each page to get in the AWS service call.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l max-items -d 'The total number of items to return in the command\'s output.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l result-status-filter -d '(string)' -r -f -a "COMPLETE\t''
FAILED\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-replication-backfill-results" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l repository-names -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l starting-token -d 'A token to specify where to start paginating (the NextToken of a previous run).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l page-size -d 'The size of each page to get in the AWS service call.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l max-items -d 'The total number of items to return in the command\'s output.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repositories" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l prefixes -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l starting-token -d 'A token to specify where to start paginating (the NextToken of a previous run).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l page-size -d 'The size of each page to get in the AWS service call.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l max-items -d 'The total number of items to return in the command\'s output.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from describe-repository-creation-templates" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-account-setting" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l registry-ids -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-authorization-token" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l layer-digest -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-download-url-for-layer" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l image-ids -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l filter -d '(structure)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l starting-token -d 'A token to specify where to start paginating (the NextToken of a previous run).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l page-size -d 'The size of each page to get in the AWS service call.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l max-items -d 'The total number of items to return in the command\'s output.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-lifecycle-policy-preview" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-policy" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-registry-scanning-configuration" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-repository-policy" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from get-signing-configuration" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from initiate-layer-upload" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l subject-id -d '(structure) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l filter -d '(structure)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-image-referrers" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l filter -d '(structure)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l starting-token -d 'A token to specify where to start paginating (the NextToken of a previous run).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l page-size -d 'The size of each page to get in the AWS service call.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l max-items -d 'The total number of items to return in the command\'s output.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-images" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-pull-time-update-exclusions" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l starting-token -d 'A token to specify where to start paginating (the NextToken of a previous run).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l page-size -d 'The size of each page to get in the AWS service call.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l max-items -d 'The total number of items to return in the command\'s output.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-replication-backfills" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l resource-arn -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from list-tags-for-resource" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l value -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-account-setting" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l image-manifest -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l image-manifest-media-type -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l image-tag -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l image-digest -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l image-scanning-configuration -d '(structure) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-scanning-configuration" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l image-tag-mutability-exclusion-filters -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l image-tag-mutability -d '(string) (required)' -r -f -a "MUTABLE\t''
IMMUTABLE\t''
IMMUTABLE_WITH_EXCLUSION\t''
MUTABLE_WITH_EXCLUSION\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-image-tag-mutability" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l lifecycle-policy-text -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-lifecycle-policy" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l policy-text -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-policy" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l rules -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l scan-type -d '(string)' -r -f -a "BASIC\t''
ENHANCED\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-registry-scanning-configuration" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l replication-configuration -d '(structure) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-replication-configuration" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l signing-configuration -d '(structure) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from put-signing-configuration" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l principal-arn -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from register-pull-time-update-exclusion" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l policy-text -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l force -d '(boolean)'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l no-force
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from set-repository-policy" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l image-id -d '(structure) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-image-scan" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l lifecycle-policy-text -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-lifecycle-policy-preview" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l destination -d '(structure) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from start-replication-backfill" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l replication-backfill-id -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from stop-replication-backfill" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l resource-arn -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l tags -d '(list) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from tag-resource" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l resource-arn -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l tag-keys -d '(list) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from untag-resource" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l image-id -d '(structure) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l target-storage-class -d '(string) (required)' -r -f -a "STANDARD\t''
ARCHIVE\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-image-storage-class" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l ecr-repository-prefix -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l credential-arn -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l custom-role-arn -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-pull-through-cache-rule" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l prefix -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l description -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l encryption-configuration -d '(structure)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l resource-tags -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l image-tag-mutability-exclusion-filters -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l repository-policy -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l lifecycle-policy -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l custom-role-arn -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l image-tag-mutability -d '(string)' -r -f -a "MUTABLE\t''
IMMUTABLE\t''
IMMUTABLE_WITH_EXCLUSION\t''
MUTABLE_WITH_EXCLUSION\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l applied-for -d '(list)' -r -f -a "REPLICATION\t''
PULL_THROUGH_CACHE\t''
CREATE_ON_PUSH\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from update-repository-creation-template" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l upload-id -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l part-first-byte -d '(long) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l part-last-byte -d '(long) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l layer-part-blob -d '(blob) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from upload-layer-part" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l ecr-repository-prefix -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from validate-pull-through-cache-rule" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -f -a "help" -d 'Show help for this command.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -f -a "image-scan-complete" -d 'Wait until ImageScanComplete polling describe-image-scan-findings.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr; and __fish_seen_subcommand_from wait" -f -a "lifecycle-policy-preview-complete" -d 'Wait until LifecyclePolicyPreviewComplete polling get-lifecycle-policy-preview.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "help" -d 'Show help for this command.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "get-login-password" -d 'Print a password for a container client\'s login.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "batch-check-layer-availability" -d 'Checks the availability of one or more image layers that are within a...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "batch-delete-image" -d 'Deletes a list of specified images that are within a repository in a public...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "complete-layer-upload" -d 'Informs Amazon ECR that the image layer upload is complete for a specified...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "create-repository" -d 'Creates a repository in a public registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "delete-repository" -d 'Deletes a repository in a public registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "delete-repository-policy" -d 'Deletes the repository policy that\'s associated with the specified repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "describe-image-tags" -d 'Returns the image tag details for a repository in a public registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "describe-images" -d 'Returns metadata that\'s related to the images in a repository in a public...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "describe-registries" -d 'Returns details for a public registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "describe-repositories" -d 'Describes repositories that are in a public registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "get-authorization-token" -d 'Retrieves an authorization token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "get-registry-catalog-data" -d 'Retrieves catalog metadata for a public registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "get-repository-catalog-data" -d 'Retrieve catalog metadata for a repository in a public registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "get-repository-policy" -d 'Retrieves the repository policy for the specified repository.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "initiate-layer-upload" -d 'Notifies Amazon ECR that you intend to upload an image layer.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "list-tags-for-resource" -d 'List the tags for an Amazon ECR Public resource.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "put-image" -d 'Creates or updates the image manifest and tags that are associated with an...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "put-registry-catalog-data" -d 'Create or update the catalog data for a public registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "put-repository-catalog-data" -d 'Creates or updates the catalog data for a repository in a public registry.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "set-repository-policy" -d 'Applies a repository policy to the specified public repository to control...'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "tag-resource" -d 'Associates the specified tags to a resource with the specified resourceArn.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "untag-resource" -d 'Deletes specified tags from a resource.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and not __fish_seen_subcommand_from help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part" -f -a "upload-layer-part" -d 'Uploads an image layer part to Amazon ECR.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from help" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-login-password" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l layer-digests -d '(list) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-check-layer-availability" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l image-ids -d '(list) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from batch-delete-image" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l upload-id -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l layer-digests -d '(list) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from complete-layer-upload" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l catalog-data -d '(structure)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l tags -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from create-repository" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l force -d '(boolean)'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l no-force
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from delete-repository-policy" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l starting-token -d 'A token to specify where to start paginating (the NextToken of a previous run).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l page-size -d 'The size of each page to get in the AWS service call.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l max-items -d 'The total number of items to return in the command\'s output.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-image-tags" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l image-ids -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l starting-token -d 'A token to specify where to start paginating (the NextToken of a previous run).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l page-size -d 'The size of each page to get in the AWS service call.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l max-items -d 'The total number of items to return in the command\'s output.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-images" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l starting-token -d 'A token to specify where to start paginating (the NextToken of a previous run).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l page-size -d 'The size of each page to get in the AWS service call.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l max-items -d 'The total number of items to return in the command\'s output.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-registries" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l repository-names -d '(list)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l next-token -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l max-results -d '(integer)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l starting-token -d 'A token to specify where to start paginating (the NextToken of a previous run).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l page-size -d 'The size of each page to get in the AWS service call.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l max-items -d 'The total number of items to return in the command\'s output.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from describe-repositories" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-authorization-token" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-registry-catalog-data" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-catalog-data" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from get-repository-policy" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from initiate-layer-upload" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l resource-arn -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from list-tags-for-resource" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l image-manifest -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l image-manifest-media-type -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l image-tag -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l image-digest -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-image" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l display-name -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-registry-catalog-data" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l catalog-data -d '(structure) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from put-repository-catalog-data" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l policy-text -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l force -d '(boolean)'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l no-force
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from set-repository-policy" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l resource-arn -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l tags -d '(list) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from tag-resource" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l resource-arn -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l tag-keys -d '(list) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from untag-resource" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l registry-id -d '(string)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l repository-name -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l upload-id -d '(string) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l part-first-byte -d '(long) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l part-last-byte -d '(long) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l layer-part-blob -d '(blob) (required)' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l cli-input-json -d 'Read arguments from the JSON string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l cli-input-yaml -d 'Read arguments from the YAML string provided (or file://path).' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l generate-cli-skeleton -d 'Print a JSON skeleton of the input (or output) and exit without calling the service.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand ecr-public; and __fish_seen_subcommand_from upload-layer-part" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -f -a "help" -d 'Show help for this command.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -f -a "ls" -d 'List a repository\'s images, newest pushed first, with filters and a limit.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -f -a "retag" -d 'Add tags to an image without pulling or pushing it.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -f -a "gc" -d 'Plan, then apply, the deletion of old or untagged images, index-aware.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and not __fish_seen_subcommand_from help ls retag gc scan-gate" -f -a "scan-gate" -d 'Wait for an image\'s scan and fail when findings reach a severity.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from help" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l registry-id -d 'The registry (account id) that holds the repository; default: the caller\'s.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l tag -d 'Only images with a tag matching GLOB (* and ?); may be repeated.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l older-than -d 'Only images pushed at least AGE ago (45s, 90m, 12h, 30d, 2w).' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l newer-than -d 'Only images pushed less than AGE ago.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l limit -d 'Print only the first N images of the order; memory stays bounded by N.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l sort -d 'Order: pushed (newest first, the default), pulled (last recorded pull, most recent first), size (largest first), tag (alphabetical).' -r -f -a "pushed\t''
pulled\t''
size\t''
tag\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l reverse -d 'Reverse the order.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l tagged -d 'Only tagged images.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l untagged -d 'Only untagged images.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from ls" -a "help" -d 'Show help for this command.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l registry-id -d 'The registry (account id) that holds the repository; default: the caller\'s.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from retag" -a "help" -d 'Show help for this command.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l registry-id -d 'The registry (account id) that holds the repository; default: the caller\'s.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l keep -d 'Keep the N most recently pushed candidates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l keep-tag -d 'Protect images with a tag matching GLOB (* and ?); may be repeated.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l older-than -d 'Only images pushed at least AGE ago are candidates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l untagged -d 'Only untagged images are candidates.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l apply -d 'Delete the planned images; without it the plan is only printed.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from gc" -a "help" -d 'Show help for this command.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l registry-id -d 'The registry (account id) that holds the repository; default: the caller\'s.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l ignore -d 'A finding name or vulnerability id (CVE-2024-1234) to ignore; may be repeated.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l timeout -d 'How long to wait for the scan to finish (default 300).' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l fail-on -d 'The lowest severity that fails the gate: CRITICAL, HIGH, MEDIUM, LOW, INFORMATIONAL or UNDEFINED.' -r -f -a "CRITICAL\t''
HIGH\t''
MEDIUM\t''
LOW\t''
INFORMATIONAL\t''
UNDEFINED\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l endpoint-url -d 'Override the service\'s default URL with the given URL.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l query -d 'A JMESPath query to use in filtering the response data.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l profile -d 'Use a specific profile from your credential file.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l region -d 'The region to use. Overrides config/env settings.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l ca-bundle -d 'The CA certificate bundle to use when verifying SSL certificates.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l cli-read-timeout -d 'The maximum socket read time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l cli-connect-timeout -d 'The maximum socket connect time in seconds; 0 means no limit. Default 60.' -r
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l output -d 'The formatting style for command output: json, text, table, yaml, yaml-stream.' -r -f -a "json\t''
text\t''
table\t''
yaml\t''
yaml-stream\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l color -d 'Turn on/off color output: on, off, auto.' -r -f -a "on\t''
off\t''
auto\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l cli-binary-format -d 'The formatting style for binary blobs: base64 (default) or raw-in-base64-out.' -r -f -a "base64\t''
raw-in-base64-out\t''"
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l debug -d 'Turn on debug logging (secrets are shown as (redacted)).'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l no-verify-ssl -d 'Do not verify SSL certificates.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l no-paginate -d 'Disable automatic pagination: make one call and print the service\'s own token.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l version -d 'Display the version of this tool.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l no-sign-request -d 'Do not sign requests. Credentials will not be loaded.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l no-cli-pager -d 'Disable the pager for output.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l cli-auto-prompt -d 'Automatically prompt for CLI input parameters (not supported by rcr yet).'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -l no-cli-auto-prompt -d 'Disable automatic prompt for CLI input parameters.'
complete -c rcr -n "__fish_rcr_using_subcommand image; and __fish_seen_subcommand_from scan-gate" -a "help" -d 'Show help for this command.'
