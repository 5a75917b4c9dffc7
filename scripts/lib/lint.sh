# shellcheck shell=bash
# lint_scripts: shellcheck (Debian's package, installed when missing) over every
# shell script of the project: ./sweep, what it sources, the other scripts and
# CI's hook. Part of `./sweep test`, so CI runs it; returns non-zero on any
# finding (notes included), with shellcheck's own report above.
#
# What it expects: common.sh sourced (log, apt_install) and REPO_ROOT.

lint_scripts() {
  command -v shellcheck >/dev/null 2>&1 || apt_install shellcheck
  local scripts=()
  mapfile -t scripts < <(lint_script_paths)
  log "shellcheck: ${#scripts[@]} scripts"
  (cd "$REPO_ROOT" && shellcheck --external-sources --format=gcc "${scripts[@]}")
}

# Every file under the repository whose first line is a bash shebang or that
# declares `shellcheck shell=bash`, outside build output and git's own folder.
lint_script_paths() {
  lint_candidate_paths | while IFS= read -r path; do
    [[ -f $REPO_ROOT/$path ]] || continue
    case ${path##*/} in *.sh) echo "$path"; continue ;; *.*) continue ;; esac
    head -n 1 -- "$REPO_ROOT/$path" | grep -qE '^#!.*\b(bash|sh)\b' && echo "$path"
  done
}

# Git's view of the tree (tracked and new files, nothing ignored); without git
# (an exported tarball), every file outside build output.
lint_candidate_paths() {
  (cd "$REPO_ROOT" && git ls-files --cached --others --exclude-standard 2>/dev/null) && return
  (cd "$REPO_ROOT" && find . -type f -not -path './.git/*' -not -path './.sweep/*' -not -path '*/bin/*' \
    -not -path '*/obj/*' -not -path '*/node_modules/*' | sed 's|^\./||')
}
