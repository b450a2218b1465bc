# bash completion for jobtrawl. Installed to
# share/bash-completion/completions/jobtrawl. Every subcommand and option of
# `jobtrawl --help` must appear here: tests/app/docs_test.cc fails otherwise.
_jobtrawl() {
  local cur prev words cword
  _init_completion || return

  local commands="run crawl backup split migrate parse discover check-config select normalize robots search export stats nodes"
  local command="" i
  for ((i = 1; i < cword; i++)); do
    case ${words[i]} in
      -*) ;;
      *) command=${words[i]}; break ;;
    esac
  done

  case $prev in
    -c | --config | --db | -o | --out | --from)
      _filedir
      return
      ;;
    --format)
      case $command in
        search) COMPREPLY=($(compgen -W "table json csv" -- "$cur")) ;;
        export) COMPREPLY=($(compgen -W "csv jsonl markdown" -- "$cur")) ;;
        stats | nodes) COMPREPLY=($(compgen -W "table json" -- "$cur")) ;;
      esac
      return
      ;;
    -k | --kind)
      COMPREPLY=($(compgen -W "html rss xmlfeed sitemap greenhouse lever ashby workable smartrecruiters recruitee remotive remoteok workday personio breezy rippling himalayas jobicy arbeitnow landingjobs fourdayweek workingnomads themuse" -- "$cur"))
      return
      ;;
    -s | --source)
      # The source names of the config given so far, else of the default one.
      local config=${JOBTRAWL_CONFIG:-}
      for ((i = 1; i < cword; i++)); do
        if [[ ${words[i]} == -c || ${words[i]} == --config ]]; then config=${words[i + 1]}; fi
      done
      if [[ -r $config ]]; then
        COMPREPLY=($(compgen -W "$(sed -n 's/^[[:space:]]*name[[:space:]]*=[[:space:]]*"\([^"]*\)".*/\1/p' "$config")" -- "$cur"))
      fi
      return
      ;;
    --parse-threads | --url | --country | --at | --attr | -a | --agent | --company | --since | \
    --salary-min | --currency | -n | --limit | --to | --batch)
      return
      ;;
  esac

  local options
  case $command in
    "") options="-h --help --version"
        COMPREPLY=($(compgen -W "$commands $options" -- "$cur"))
        return ;;
    run) options="-c --config --parse-threads" ;;
    crawl) options="-c --config -s --source --db --parse-threads --wait --due -v --verbose -q --quiet" ;;
    backup) options="-c --config --db" ;;
    split) options="-c --config --db" ;;
    migrate) options="--from --to --replace --batch --progress" ;;
    parse) options="--url -c --config -s --source -k --kind --country --raw --links --jsonl --pretty" ;;
    discover) options="--url -c --config --name --check" ;;
    check-config) options="--strict" ;;
    select) options="--attr --html --count" ;;
    normalize)
      options="--country --at"
      if [[ $cur != -* && ${words[cword - 1]} == normalize ]]; then
        COMPREPLY=($(compgen -W "salary location remote employment-type date title company skills" -- "$cur"))
        return
      fi
      ;;
    robots) options="-a --agent" ;;
    search) options="--db -c --config --remote --country --company --since --salary-min --currency --open --closed -n --limit --rank-all --format" ;;
    export) options="--format --db -c --config --since --open -o --out" ;;
    stats) options="--db -c --config --format" ;;
    nodes) options="--db -c --config --format" ;;
  esac
  if [[ $cur == -* ]]; then
    COMPREPLY=($(compgen -W "-h --help $options" -- "$cur"))
  else
    _filedir
  fi
}
complete -F _jobtrawl jobtrawl
