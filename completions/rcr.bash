_rcr() {
    local i cur prev opts cmd
    COMPREPLY=()
    if [[ "${BASH_VERSINFO[0]}" -ge 4 ]]; then
        cur="$2"
    else
        cur="${COMP_WORDS[COMP_CWORD]}"
    fi
    prev="$3"
    cmd=""
    opts=""

    for i in "${COMP_WORDS[@]:0:COMP_CWORD}"
    do
        case "${cmd},${i}" in
            ",$1")
                cmd="rcr"
                ;;
            rcr,ecr)
                cmd="rcr__subcmd__ecr"
                ;;
            rcr,ecr-public)
                cmd="rcr__subcmd__ecr__subcmd__public"
                ;;
            rcr,help)
                cmd="rcr__subcmd__help"
                ;;
            rcr,image)
                cmd="rcr__subcmd__image"
                ;;
            rcr__subcmd__ecr,batch-check-layer-availability)
                cmd="rcr__subcmd__ecr__subcmd__batch__subcmd__check__subcmd__layer__subcmd__availability"
                ;;
            rcr__subcmd__ecr,batch-delete-image)
                cmd="rcr__subcmd__ecr__subcmd__batch__subcmd__delete__subcmd__image"
                ;;
            rcr__subcmd__ecr,batch-get-image)
                cmd="rcr__subcmd__ecr__subcmd__batch__subcmd__get__subcmd__image"
                ;;
            rcr__subcmd__ecr,batch-get-repository-scanning-configuration)
                cmd="rcr__subcmd__ecr__subcmd__batch__subcmd__get__subcmd__repository__subcmd__scanning__subcmd__configuration"
                ;;
            rcr__subcmd__ecr,complete-layer-upload)
                cmd="rcr__subcmd__ecr__subcmd__complete__subcmd__layer__subcmd__upload"
                ;;
            rcr__subcmd__ecr,create-pull-through-cache-rule)
                cmd="rcr__subcmd__ecr__subcmd__create__subcmd__pull__subcmd__through__subcmd__cache__subcmd__rule"
                ;;
            rcr__subcmd__ecr,create-repository)
                cmd="rcr__subcmd__ecr__subcmd__create__subcmd__repository"
                ;;
            rcr__subcmd__ecr,create-repository-creation-template)
                cmd="rcr__subcmd__ecr__subcmd__create__subcmd__repository__subcmd__creation__subcmd__template"
                ;;
            rcr__subcmd__ecr,delete-lifecycle-policy)
                cmd="rcr__subcmd__ecr__subcmd__delete__subcmd__lifecycle__subcmd__policy"
                ;;
            rcr__subcmd__ecr,delete-pull-through-cache-rule)
                cmd="rcr__subcmd__ecr__subcmd__delete__subcmd__pull__subcmd__through__subcmd__cache__subcmd__rule"
                ;;
            rcr__subcmd__ecr,delete-registry-policy)
                cmd="rcr__subcmd__ecr__subcmd__delete__subcmd__registry__subcmd__policy"
                ;;
            rcr__subcmd__ecr,delete-repository)
                cmd="rcr__subcmd__ecr__subcmd__delete__subcmd__repository"
                ;;
            rcr__subcmd__ecr,delete-repository-creation-template)
                cmd="rcr__subcmd__ecr__subcmd__delete__subcmd__repository__subcmd__creation__subcmd__template"
                ;;
            rcr__subcmd__ecr,delete-repository-policy)
                cmd="rcr__subcmd__ecr__subcmd__delete__subcmd__repository__subcmd__policy"
                ;;
            rcr__subcmd__ecr,delete-signing-configuration)
                cmd="rcr__subcmd__ecr__subcmd__delete__subcmd__signing__subcmd__configuration"
                ;;
            rcr__subcmd__ecr,deregister-pull-time-update-exclusion)
                cmd="rcr__subcmd__ecr__subcmd__deregister__subcmd__pull__subcmd__time__subcmd__update__subcmd__exclusion"
                ;;
            rcr__subcmd__ecr,describe-image-replication-status)
                cmd="rcr__subcmd__ecr__subcmd__describe__subcmd__image__subcmd__replication__subcmd__status"
                ;;
            rcr__subcmd__ecr,describe-image-scan-findings)
                cmd="rcr__subcmd__ecr__subcmd__describe__subcmd__image__subcmd__scan__subcmd__findings"
                ;;
            rcr__subcmd__ecr,describe-image-signing-status)
                cmd="rcr__subcmd__ecr__subcmd__describe__subcmd__image__subcmd__signing__subcmd__status"
                ;;
            rcr__subcmd__ecr,describe-images)
                cmd="rcr__subcmd__ecr__subcmd__describe__subcmd__images"
                ;;
            rcr__subcmd__ecr,describe-pull-through-cache-rules)
                cmd="rcr__subcmd__ecr__subcmd__describe__subcmd__pull__subcmd__through__subcmd__cache__subcmd__rules"
                ;;
            rcr__subcmd__ecr,describe-registry)
                cmd="rcr__subcmd__ecr__subcmd__describe__subcmd__registry"
                ;;
            rcr__subcmd__ecr,describe-replication-backfill-results)
                cmd="rcr__subcmd__ecr__subcmd__describe__subcmd__replication__subcmd__backfill__subcmd__results"
                ;;
            rcr__subcmd__ecr,describe-repositories)
                cmd="rcr__subcmd__ecr__subcmd__describe__subcmd__repositories"
                ;;
            rcr__subcmd__ecr,describe-repository-creation-templates)
                cmd="rcr__subcmd__ecr__subcmd__describe__subcmd__repository__subcmd__creation__subcmd__templates"
                ;;
            rcr__subcmd__ecr,get-account-setting)
                cmd="rcr__subcmd__ecr__subcmd__get__subcmd__account__subcmd__setting"
                ;;
            rcr__subcmd__ecr,get-authorization-token)
                cmd="rcr__subcmd__ecr__subcmd__get__subcmd__authorization__subcmd__token"
                ;;
            rcr__subcmd__ecr,get-download-url-for-layer)
                cmd="rcr__subcmd__ecr__subcmd__get__subcmd__download__subcmd__url__subcmd__for__subcmd__layer"
                ;;
            rcr__subcmd__ecr,get-lifecycle-policy)
                cmd="rcr__subcmd__ecr__subcmd__get__subcmd__lifecycle__subcmd__policy"
                ;;
            rcr__subcmd__ecr,get-lifecycle-policy-preview)
                cmd="rcr__subcmd__ecr__subcmd__get__subcmd__lifecycle__subcmd__policy__subcmd__preview"
                ;;
            rcr__subcmd__ecr,get-login-password)
                cmd="rcr__subcmd__ecr__subcmd__get__subcmd__login__subcmd__password"
                ;;
            rcr__subcmd__ecr,get-registry-policy)
                cmd="rcr__subcmd__ecr__subcmd__get__subcmd__registry__subcmd__policy"
                ;;
            rcr__subcmd__ecr,get-registry-scanning-configuration)
                cmd="rcr__subcmd__ecr__subcmd__get__subcmd__registry__subcmd__scanning__subcmd__configuration"
                ;;
            rcr__subcmd__ecr,get-repository-policy)
                cmd="rcr__subcmd__ecr__subcmd__get__subcmd__repository__subcmd__policy"
                ;;
            rcr__subcmd__ecr,get-signing-configuration)
                cmd="rcr__subcmd__ecr__subcmd__get__subcmd__signing__subcmd__configuration"
                ;;
            rcr__subcmd__ecr,help)
                cmd="rcr__subcmd__ecr__subcmd__help"
                ;;
            rcr__subcmd__ecr,initiate-layer-upload)
                cmd="rcr__subcmd__ecr__subcmd__initiate__subcmd__layer__subcmd__upload"
                ;;
            rcr__subcmd__ecr,list-image-referrers)
                cmd="rcr__subcmd__ecr__subcmd__list__subcmd__image__subcmd__referrers"
                ;;
            rcr__subcmd__ecr,list-images)
                cmd="rcr__subcmd__ecr__subcmd__list__subcmd__images"
                ;;
            rcr__subcmd__ecr,list-pull-time-update-exclusions)
                cmd="rcr__subcmd__ecr__subcmd__list__subcmd__pull__subcmd__time__subcmd__update__subcmd__exclusions"
                ;;
            rcr__subcmd__ecr,list-replication-backfills)
                cmd="rcr__subcmd__ecr__subcmd__list__subcmd__replication__subcmd__backfills"
                ;;
            rcr__subcmd__ecr,list-tags-for-resource)
                cmd="rcr__subcmd__ecr__subcmd__list__subcmd__tags__subcmd__for__subcmd__resource"
                ;;
            rcr__subcmd__ecr,put-account-setting)
                cmd="rcr__subcmd__ecr__subcmd__put__subcmd__account__subcmd__setting"
                ;;
            rcr__subcmd__ecr,put-image)
                cmd="rcr__subcmd__ecr__subcmd__put__subcmd__image"
                ;;
            rcr__subcmd__ecr,put-image-scanning-configuration)
                cmd="rcr__subcmd__ecr__subcmd__put__subcmd__image__subcmd__scanning__subcmd__configuration"
                ;;
            rcr__subcmd__ecr,put-image-tag-mutability)
                cmd="rcr__subcmd__ecr__subcmd__put__subcmd__image__subcmd__tag__subcmd__mutability"
                ;;
            rcr__subcmd__ecr,put-lifecycle-policy)
                cmd="rcr__subcmd__ecr__subcmd__put__subcmd__lifecycle__subcmd__policy"
                ;;
            rcr__subcmd__ecr,put-registry-policy)
                cmd="rcr__subcmd__ecr__subcmd__put__subcmd__registry__subcmd__policy"
                ;;
            rcr__subcmd__ecr,put-registry-scanning-configuration)
                cmd="rcr__subcmd__ecr__subcmd__put__subcmd__registry__subcmd__scanning__subcmd__configuration"
                ;;
            rcr__subcmd__ecr,put-replication-configuration)
                cmd="rcr__subcmd__ecr__subcmd__put__subcmd__replication__subcmd__configuration"
                ;;
            rcr__subcmd__ecr,put-signing-configuration)
                cmd="rcr__subcmd__ecr__subcmd__put__subcmd__signing__subcmd__configuration"
                ;;
            rcr__subcmd__ecr,register-pull-time-update-exclusion)
                cmd="rcr__subcmd__ecr__subcmd__register__subcmd__pull__subcmd__time__subcmd__update__subcmd__exclusion"
                ;;
            rcr__subcmd__ecr,set-repository-policy)
                cmd="rcr__subcmd__ecr__subcmd__set__subcmd__repository__subcmd__policy"
                ;;
            rcr__subcmd__ecr,start-image-scan)
                cmd="rcr__subcmd__ecr__subcmd__start__subcmd__image__subcmd__scan"
                ;;
            rcr__subcmd__ecr,start-lifecycle-policy-preview)
                cmd="rcr__subcmd__ecr__subcmd__start__subcmd__lifecycle__subcmd__policy__subcmd__preview"
                ;;
            rcr__subcmd__ecr,start-replication-backfill)
                cmd="rcr__subcmd__ecr__subcmd__start__subcmd__replication__subcmd__backfill"
                ;;
            rcr__subcmd__ecr,stop-replication-backfill)
                cmd="rcr__subcmd__ecr__subcmd__stop__subcmd__replication__subcmd__backfill"
                ;;
            rcr__subcmd__ecr,tag-resource)
                cmd="rcr__subcmd__ecr__subcmd__tag__subcmd__resource"
                ;;
            rcr__subcmd__ecr,untag-resource)
                cmd="rcr__subcmd__ecr__subcmd__untag__subcmd__resource"
                ;;
            rcr__subcmd__ecr,update-image-storage-class)
                cmd="rcr__subcmd__ecr__subcmd__update__subcmd__image__subcmd__storage__subcmd__class"
                ;;
            rcr__subcmd__ecr,update-pull-through-cache-rule)
                cmd="rcr__subcmd__ecr__subcmd__update__subcmd__pull__subcmd__through__subcmd__cache__subcmd__rule"
                ;;
            rcr__subcmd__ecr,update-repository-creation-template)
                cmd="rcr__subcmd__ecr__subcmd__update__subcmd__repository__subcmd__creation__subcmd__template"
                ;;
            rcr__subcmd__ecr,upload-layer-part)
                cmd="rcr__subcmd__ecr__subcmd__upload__subcmd__layer__subcmd__part"
                ;;
            rcr__subcmd__ecr,validate-pull-through-cache-rule)
                cmd="rcr__subcmd__ecr__subcmd__validate__subcmd__pull__subcmd__through__subcmd__cache__subcmd__rule"
                ;;
            rcr__subcmd__ecr,wait)
                cmd="rcr__subcmd__ecr__subcmd__wait"
                ;;
            rcr__subcmd__ecr__subcmd__public,batch-check-layer-availability)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__batch__subcmd__check__subcmd__layer__subcmd__availability"
                ;;
            rcr__subcmd__ecr__subcmd__public,batch-delete-image)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__batch__subcmd__delete__subcmd__image"
                ;;
            rcr__subcmd__ecr__subcmd__public,complete-layer-upload)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__complete__subcmd__layer__subcmd__upload"
                ;;
            rcr__subcmd__ecr__subcmd__public,create-repository)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__create__subcmd__repository"
                ;;
            rcr__subcmd__ecr__subcmd__public,delete-repository)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__delete__subcmd__repository"
                ;;
            rcr__subcmd__ecr__subcmd__public,delete-repository-policy)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__delete__subcmd__repository__subcmd__policy"
                ;;
            rcr__subcmd__ecr__subcmd__public,describe-image-tags)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__describe__subcmd__image__subcmd__tags"
                ;;
            rcr__subcmd__ecr__subcmd__public,describe-images)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__describe__subcmd__images"
                ;;
            rcr__subcmd__ecr__subcmd__public,describe-registries)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__describe__subcmd__registries"
                ;;
            rcr__subcmd__ecr__subcmd__public,describe-repositories)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__describe__subcmd__repositories"
                ;;
            rcr__subcmd__ecr__subcmd__public,get-authorization-token)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__get__subcmd__authorization__subcmd__token"
                ;;
            rcr__subcmd__ecr__subcmd__public,get-login-password)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__get__subcmd__login__subcmd__password"
                ;;
            rcr__subcmd__ecr__subcmd__public,get-registry-catalog-data)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__get__subcmd__registry__subcmd__catalog__subcmd__data"
                ;;
            rcr__subcmd__ecr__subcmd__public,get-repository-catalog-data)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__get__subcmd__repository__subcmd__catalog__subcmd__data"
                ;;
            rcr__subcmd__ecr__subcmd__public,get-repository-policy)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__get__subcmd__repository__subcmd__policy"
                ;;
            rcr__subcmd__ecr__subcmd__public,help)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__help"
                ;;
            rcr__subcmd__ecr__subcmd__public,initiate-layer-upload)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__initiate__subcmd__layer__subcmd__upload"
                ;;
            rcr__subcmd__ecr__subcmd__public,list-tags-for-resource)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__list__subcmd__tags__subcmd__for__subcmd__resource"
                ;;
            rcr__subcmd__ecr__subcmd__public,put-image)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__put__subcmd__image"
                ;;
            rcr__subcmd__ecr__subcmd__public,put-registry-catalog-data)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__put__subcmd__registry__subcmd__catalog__subcmd__data"
                ;;
            rcr__subcmd__ecr__subcmd__public,put-repository-catalog-data)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__put__subcmd__repository__subcmd__catalog__subcmd__data"
                ;;
            rcr__subcmd__ecr__subcmd__public,set-repository-policy)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__set__subcmd__repository__subcmd__policy"
                ;;
            rcr__subcmd__ecr__subcmd__public,tag-resource)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__tag__subcmd__resource"
                ;;
            rcr__subcmd__ecr__subcmd__public,untag-resource)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__untag__subcmd__resource"
                ;;
            rcr__subcmd__ecr__subcmd__public,upload-layer-part)
                cmd="rcr__subcmd__ecr__subcmd__public__subcmd__upload__subcmd__layer__subcmd__part"
                ;;
            rcr__subcmd__ecr__subcmd__wait,help)
                cmd="rcr__subcmd__ecr__subcmd__wait__subcmd__help"
                ;;
            rcr__subcmd__ecr__subcmd__wait,image-scan-complete)
                cmd="rcr__subcmd__ecr__subcmd__wait__subcmd__image__subcmd__scan__subcmd__complete"
                ;;
            rcr__subcmd__ecr__subcmd__wait,lifecycle-policy-preview-complete)
                cmd="rcr__subcmd__ecr__subcmd__wait__subcmd__lifecycle__subcmd__policy__subcmd__preview__subcmd__complete"
                ;;
            rcr__subcmd__image,gc)
                cmd="rcr__subcmd__image__subcmd__gc"
                ;;
            rcr__subcmd__image,help)
                cmd="rcr__subcmd__image__subcmd__help"
                ;;
            rcr__subcmd__image,ls)
                cmd="rcr__subcmd__image__subcmd__ls"
                ;;
            rcr__subcmd__image,retag)
                cmd="rcr__subcmd__image__subcmd__retag"
                ;;
            rcr__subcmd__image,scan-gate)
                cmd="rcr__subcmd__image__subcmd__scan__subcmd__gate"
                ;;
            rcr__subcmd__image__subcmd__gc,help)
                cmd="rcr__subcmd__image__subcmd__gc__subcmd__help"
                ;;
            rcr__subcmd__image__subcmd__ls,help)
                cmd="rcr__subcmd__image__subcmd__ls__subcmd__help"
                ;;
            rcr__subcmd__image__subcmd__retag,help)
                cmd="rcr__subcmd__image__subcmd__retag__subcmd__help"
                ;;
            rcr__subcmd__image__subcmd__scan__subcmd__gate,help)
                cmd="rcr__subcmd__image__subcmd__scan__subcmd__gate__subcmd__help"
                ;;
            *)
                ;;
        esac
    done

    case "${cmd}" in
        rcr)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format help ecr ecr-public image"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 1 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format help get-login-password batch-check-layer-availability batch-delete-image batch-get-image batch-get-repository-scanning-configuration complete-layer-upload create-pull-through-cache-rule create-repository create-repository-creation-template delete-lifecycle-policy delete-pull-through-cache-rule delete-registry-policy delete-repository delete-repository-creation-template delete-repository-policy delete-signing-configuration deregister-pull-time-update-exclusion describe-image-replication-status describe-image-scan-findings describe-image-signing-status describe-images describe-pull-through-cache-rules describe-registry describe-replication-backfill-results describe-repositories describe-repository-creation-templates get-account-setting get-authorization-token get-download-url-for-layer get-lifecycle-policy get-lifecycle-policy-preview get-registry-policy get-registry-scanning-configuration get-repository-policy get-signing-configuration initiate-layer-upload list-image-referrers list-images list-pull-time-update-exclusions list-replication-backfills list-tags-for-resource put-account-setting put-image put-image-scanning-configuration put-image-tag-mutability put-lifecycle-policy put-registry-policy put-registry-scanning-configuration put-replication-configuration put-signing-configuration register-pull-time-update-exclusion set-repository-policy start-image-scan start-lifecycle-policy-preview start-replication-backfill stop-replication-backfill tag-resource untag-resource update-image-storage-class update-pull-through-cache-rule update-repository-creation-template upload-layer-part validate-pull-through-cache-rule wait"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format help get-login-password batch-check-layer-availability batch-delete-image complete-layer-upload create-repository delete-repository delete-repository-policy describe-image-tags describe-images describe-registries describe-repositories get-authorization-token get-registry-catalog-data get-repository-catalog-data get-repository-policy initiate-layer-upload list-tags-for-resource put-image put-registry-catalog-data put-repository-catalog-data set-repository-policy tag-resource untag-resource upload-layer-part"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__batch__subcmd__check__subcmd__layer__subcmd__availability)
            opts="--registry-id --repository-name --layer-digests --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --layer-digests)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__batch__subcmd__delete__subcmd__image)
            opts="--registry-id --repository-name --image-ids --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-ids)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__complete__subcmd__layer__subcmd__upload)
            opts="--registry-id --repository-name --upload-id --layer-digests --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --upload-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --layer-digests)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__create__subcmd__repository)
            opts="--repository-name --catalog-data --tags --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --catalog-data)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tags)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__delete__subcmd__repository)
            opts="--registry-id --repository-name --force --no-force --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__delete__subcmd__repository__subcmd__policy)
            opts="--registry-id --repository-name --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__describe__subcmd__image__subcmd__tags)
            opts="--registry-id --repository-name --next-token --max-results --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__describe__subcmd__images)
            opts="--registry-id --repository-name --image-ids --next-token --max-results --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-ids)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__describe__subcmd__registries)
            opts="--next-token --max-results --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__describe__subcmd__repositories)
            opts="--registry-id --repository-names --next-token --max-results --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-names)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__get__subcmd__authorization__subcmd__token)
            opts="--cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__get__subcmd__login__subcmd__password)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__get__subcmd__registry__subcmd__catalog__subcmd__data)
            opts="--cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__get__subcmd__repository__subcmd__catalog__subcmd__data)
            opts="--registry-id --repository-name --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__get__subcmd__repository__subcmd__policy)
            opts="--registry-id --repository-name --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__help)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__initiate__subcmd__layer__subcmd__upload)
            opts="--registry-id --repository-name --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__list__subcmd__tags__subcmd__for__subcmd__resource)
            opts="--resource-arn --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --resource-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__put__subcmd__image)
            opts="--registry-id --repository-name --image-manifest --image-manifest-media-type --image-tag --image-digest --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-manifest)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-manifest-media-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-tag)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-digest)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__put__subcmd__registry__subcmd__catalog__subcmd__data)
            opts="--display-name --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --display-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__put__subcmd__repository__subcmd__catalog__subcmd__data)
            opts="--registry-id --repository-name --catalog-data --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --catalog-data)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__set__subcmd__repository__subcmd__policy)
            opts="--registry-id --repository-name --policy-text --force --no-force --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --policy-text)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__tag__subcmd__resource)
            opts="--resource-arn --tags --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --resource-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tags)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__untag__subcmd__resource)
            opts="--resource-arn --tag-keys --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --resource-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tag-keys)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__public__subcmd__upload__subcmd__layer__subcmd__part)
            opts="--registry-id --repository-name --upload-id --part-first-byte --part-last-byte --layer-part-blob --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --upload-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --part-first-byte)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --part-last-byte)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --layer-part-blob)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__batch__subcmd__check__subcmd__layer__subcmd__availability)
            opts="--registry-id --repository-name --layer-digests --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --layer-digests)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__batch__subcmd__delete__subcmd__image)
            opts="--registry-id --repository-name --image-ids --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-ids)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__batch__subcmd__get__subcmd__image)
            opts="--registry-id --repository-name --image-ids --accepted-media-types --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-ids)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --accepted-media-types)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__batch__subcmd__get__subcmd__repository__subcmd__scanning__subcmd__configuration)
            opts="--repository-names --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --repository-names)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__complete__subcmd__layer__subcmd__upload)
            opts="--registry-id --repository-name --upload-id --layer-digests --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --upload-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --layer-digests)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__create__subcmd__pull__subcmd__through__subcmd__cache__subcmd__rule)
            opts="--ecr-repository-prefix --upstream-registry-url --registry-id --credential-arn --custom-role-arn --upstream-repository-prefix --cli-input-json --cli-input-yaml --generate-cli-skeleton --upstream-registry --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --ecr-repository-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --upstream-registry-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --credential-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --custom-role-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --upstream-repository-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --upstream-registry)
                    COMPREPLY=($(compgen -W "ecr ecr-public quay k8s docker-hub github-container-registry azure-container-registry gitlab-container-registry chainguard" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__create__subcmd__repository)
            opts="--registry-id --repository-name --tags --image-tag-mutability-exclusion-filters --image-scanning-configuration --encryption-configuration --cli-input-json --cli-input-yaml --generate-cli-skeleton --image-tag-mutability --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tags)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-tag-mutability-exclusion-filters)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-scanning-configuration)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encryption-configuration)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-tag-mutability)
                    COMPREPLY=($(compgen -W "MUTABLE IMMUTABLE IMMUTABLE_WITH_EXCLUSION MUTABLE_WITH_EXCLUSION" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__create__subcmd__repository__subcmd__creation__subcmd__template)
            opts="--prefix --description --encryption-configuration --resource-tags --image-tag-mutability-exclusion-filters --repository-policy --lifecycle-policy --custom-role-arn --cli-input-json --cli-input-yaml --generate-cli-skeleton --image-tag-mutability --applied-for --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --description)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encryption-configuration)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --resource-tags)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-tag-mutability-exclusion-filters)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-policy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --lifecycle-policy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --custom-role-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-tag-mutability)
                    COMPREPLY=($(compgen -W "MUTABLE IMMUTABLE IMMUTABLE_WITH_EXCLUSION MUTABLE_WITH_EXCLUSION" -- "${cur}"))
                    return 0
                    ;;
                --applied-for)
                    COMPREPLY=($(compgen -W "REPLICATION PULL_THROUGH_CACHE CREATE_ON_PUSH" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__delete__subcmd__lifecycle__subcmd__policy)
            opts="--registry-id --repository-name --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__delete__subcmd__pull__subcmd__through__subcmd__cache__subcmd__rule)
            opts="--ecr-repository-prefix --registry-id --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --ecr-repository-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__delete__subcmd__registry__subcmd__policy)
            opts="--cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__delete__subcmd__repository)
            opts="--registry-id --repository-name --force --no-force --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__delete__subcmd__repository__subcmd__creation__subcmd__template)
            opts="--prefix --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__delete__subcmd__repository__subcmd__policy)
            opts="--registry-id --repository-name --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__delete__subcmd__signing__subcmd__configuration)
            opts="--cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__deregister__subcmd__pull__subcmd__time__subcmd__update__subcmd__exclusion)
            opts="--principal-arn --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --principal-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__describe__subcmd__image__subcmd__replication__subcmd__status)
            opts="--repository-name --image-id --registry-id --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__describe__subcmd__image__subcmd__scan__subcmd__findings)
            opts="--registry-id --repository-name --image-id --next-token --max-results --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__describe__subcmd__image__subcmd__signing__subcmd__status)
            opts="--repository-name --image-id --registry-id --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__describe__subcmd__images)
            opts="--registry-id --repository-name --image-ids --next-token --max-results --filter --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-ids)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__describe__subcmd__pull__subcmd__through__subcmd__cache__subcmd__rules)
            opts="--registry-id --ecr-repository-prefixes --next-token --max-results --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ecr-repository-prefixes)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__describe__subcmd__registry)
            opts="--cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__describe__subcmd__replication__subcmd__backfill__subcmd__results)
            opts="--registry-id --replication-backfill-id --max-results --next-token --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --result-status-filter --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replication-backfill-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --result-status-filter)
                    COMPREPLY=($(compgen -W "COMPLETE FAILED" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__describe__subcmd__repositories)
            opts="--registry-id --repository-names --next-token --max-results --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-names)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__describe__subcmd__repository__subcmd__creation__subcmd__templates)
            opts="--prefixes --next-token --max-results --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --prefixes)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__get__subcmd__account__subcmd__setting)
            opts="--name --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__get__subcmd__authorization__subcmd__token)
            opts="--registry-ids --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-ids)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__get__subcmd__download__subcmd__url__subcmd__for__subcmd__layer)
            opts="--registry-id --repository-name --layer-digest --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --layer-digest)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__get__subcmd__lifecycle__subcmd__policy)
            opts="--registry-id --repository-name --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__get__subcmd__lifecycle__subcmd__policy__subcmd__preview)
            opts="--registry-id --repository-name --image-ids --next-token --max-results --filter --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-ids)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__get__subcmd__login__subcmd__password)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__get__subcmd__registry__subcmd__policy)
            opts="--cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__get__subcmd__registry__subcmd__scanning__subcmd__configuration)
            opts="--cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__get__subcmd__repository__subcmd__policy)
            opts="--registry-id --repository-name --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__get__subcmd__signing__subcmd__configuration)
            opts="--cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__help)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__initiate__subcmd__layer__subcmd__upload)
            opts="--registry-id --repository-name --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__list__subcmd__image__subcmd__referrers)
            opts="--registry-id --repository-name --subject-id --filter --next-token --max-results --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --subject-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__list__subcmd__images)
            opts="--registry-id --repository-name --next-token --max-results --filter --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__list__subcmd__pull__subcmd__time__subcmd__update__subcmd__exclusions)
            opts="--max-results --next-token --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__list__subcmd__replication__subcmd__backfills)
            opts="--registry-id --max-results --next-token --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__list__subcmd__tags__subcmd__for__subcmd__resource)
            opts="--resource-arn --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --resource-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__put__subcmd__account__subcmd__setting)
            opts="--name --value --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --value)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__put__subcmd__image)
            opts="--registry-id --repository-name --image-manifest --image-manifest-media-type --image-tag --image-digest --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-manifest)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-manifest-media-type)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-tag)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-digest)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__put__subcmd__image__subcmd__scanning__subcmd__configuration)
            opts="--registry-id --repository-name --image-scanning-configuration --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-scanning-configuration)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__put__subcmd__image__subcmd__tag__subcmd__mutability)
            opts="--registry-id --repository-name --image-tag-mutability-exclusion-filters --cli-input-json --cli-input-yaml --generate-cli-skeleton --image-tag-mutability --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-tag-mutability-exclusion-filters)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-tag-mutability)
                    COMPREPLY=($(compgen -W "MUTABLE IMMUTABLE IMMUTABLE_WITH_EXCLUSION MUTABLE_WITH_EXCLUSION" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__put__subcmd__lifecycle__subcmd__policy)
            opts="--registry-id --repository-name --lifecycle-policy-text --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --lifecycle-policy-text)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__put__subcmd__registry__subcmd__policy)
            opts="--policy-text --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --policy-text)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__put__subcmd__registry__subcmd__scanning__subcmd__configuration)
            opts="--rules --cli-input-json --cli-input-yaml --generate-cli-skeleton --scan-type --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --rules)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --scan-type)
                    COMPREPLY=($(compgen -W "BASIC ENHANCED" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__put__subcmd__replication__subcmd__configuration)
            opts="--replication-configuration --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --replication-configuration)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__put__subcmd__signing__subcmd__configuration)
            opts="--signing-configuration --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --signing-configuration)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__register__subcmd__pull__subcmd__time__subcmd__update__subcmd__exclusion)
            opts="--principal-arn --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --principal-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__set__subcmd__repository__subcmd__policy)
            opts="--registry-id --repository-name --policy-text --force --no-force --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --policy-text)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__start__subcmd__image__subcmd__scan)
            opts="--registry-id --repository-name --image-id --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__start__subcmd__lifecycle__subcmd__policy__subcmd__preview)
            opts="--registry-id --repository-name --lifecycle-policy-text --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --lifecycle-policy-text)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__start__subcmd__replication__subcmd__backfill)
            opts="--registry-id --destination --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --destination)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__stop__subcmd__replication__subcmd__backfill)
            opts="--registry-id --replication-backfill-id --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --replication-backfill-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__tag__subcmd__resource)
            opts="--resource-arn --tags --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --resource-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tags)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__untag__subcmd__resource)
            opts="--resource-arn --tag-keys --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --resource-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tag-keys)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__update__subcmd__image__subcmd__storage__subcmd__class)
            opts="--registry-id --repository-name --image-id --cli-input-json --cli-input-yaml --generate-cli-skeleton --target-storage-class --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --target-storage-class)
                    COMPREPLY=($(compgen -W "STANDARD ARCHIVE" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__update__subcmd__pull__subcmd__through__subcmd__cache__subcmd__rule)
            opts="--registry-id --ecr-repository-prefix --credential-arn --custom-role-arn --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ecr-repository-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --credential-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --custom-role-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__update__subcmd__repository__subcmd__creation__subcmd__template)
            opts="--prefix --description --encryption-configuration --resource-tags --image-tag-mutability-exclusion-filters --repository-policy --lifecycle-policy --custom-role-arn --cli-input-json --cli-input-yaml --generate-cli-skeleton --image-tag-mutability --applied-for --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --description)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --encryption-configuration)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --resource-tags)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-tag-mutability-exclusion-filters)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-policy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --lifecycle-policy)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --custom-role-arn)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-tag-mutability)
                    COMPREPLY=($(compgen -W "MUTABLE IMMUTABLE IMMUTABLE_WITH_EXCLUSION MUTABLE_WITH_EXCLUSION" -- "${cur}"))
                    return 0
                    ;;
                --applied-for)
                    COMPREPLY=($(compgen -W "REPLICATION PULL_THROUGH_CACHE CREATE_ON_PUSH" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__upload__subcmd__layer__subcmd__part)
            opts="--registry-id --repository-name --upload-id --part-first-byte --part-last-byte --layer-part-blob --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --upload-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --part-first-byte)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --part-last-byte)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --layer-part-blob)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__validate__subcmd__pull__subcmd__through__subcmd__cache__subcmd__rule)
            opts="--ecr-repository-prefix --registry-id --cli-input-json --cli-input-yaml --generate-cli-skeleton --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --ecr-repository-prefix)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__wait)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format help image-scan-complete lifecycle-policy-preview-complete"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__wait__subcmd__help)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__wait__subcmd__image__subcmd__scan__subcmd__complete)
            opts="--registry-id --repository-name --image-id --next-token --max-results --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__ecr__subcmd__wait__subcmd__lifecycle__subcmd__policy__subcmd__preview__subcmd__complete)
            opts="--registry-id --repository-name --image-ids --next-token --max-results --filter --cli-input-json --cli-input-yaml --generate-cli-skeleton --starting-token --page-size --max-items --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --repository-name)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --image-ids)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --next-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-results)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --filter)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-json)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-input-yaml)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --generate-cli-skeleton)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --starting-token)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --page-size)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --max-items)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__help)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__image)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format help ls retag gc scan-gate"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 2 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__image__subcmd__gc)
            opts="--registry-id --keep --keep-tag --older-than --untagged --apply --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --keep)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --keep-tag)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --older-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__image__subcmd__gc__subcmd__help)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__image__subcmd__help)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__image__subcmd__ls)
            opts="--registry-id --reverse --tag --tagged --untagged --older-than --newer-than --limit --sort --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --tag)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --older-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --newer-than)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --limit)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --sort)
                    COMPREPLY=($(compgen -W "pushed pulled size tag" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__image__subcmd__ls__subcmd__help)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__image__subcmd__retag)
            opts="--registry-id --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__image__subcmd__retag__subcmd__help)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__image__subcmd__scan__subcmd__gate)
            opts="--registry-id --ignore --timeout --fail-on --debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format help"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 3 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --registry-id)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ignore)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --fail-on)
                    COMPREPLY=($(compgen -W "CRITICAL HIGH MEDIUM LOW INFORMATIONAL UNDEFINED" -- "${cur}"))
                    return 0
                    ;;
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
        rcr__subcmd__image__subcmd__scan__subcmd__gate__subcmd__help)
            opts="--debug --endpoint-url --no-verify-ssl --no-paginate --query --profile --region --version --no-sign-request --ca-bundle --cli-read-timeout --cli-connect-timeout --no-cli-pager --cli-auto-prompt --no-cli-auto-prompt --output --color --cli-binary-format"
            if [[ ${cur} == -* || ${COMP_CWORD} -eq 4 ]] ; then
                COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
                return 0
            fi
            case "${prev}" in
                --endpoint-url)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --query)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --profile)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --region)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --ca-bundle)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-read-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --cli-connect-timeout)
                    COMPREPLY=($(compgen -f "${cur}"))
                    return 0
                    ;;
                --output)
                    COMPREPLY=($(compgen -W "json text table yaml yaml-stream" -- "${cur}"))
                    return 0
                    ;;
                --color)
                    COMPREPLY=($(compgen -W "on off auto" -- "${cur}"))
                    return 0
                    ;;
                --cli-binary-format)
                    COMPREPLY=($(compgen -W "base64 raw-in-base64-out" -- "${cur}"))
                    return 0
                    ;;
                *)
                    COMPREPLY=()
                    ;;
            esac
            COMPREPLY=( $(compgen -W "${opts}" -- "${cur}") )
            return 0
            ;;
    esac
}

if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _rcr -o nosort -o bashdefault -o default rcr
else
    complete -F _rcr -o bashdefault -o default rcr
fi
