#!/usr/bin/env bash
# End-to-end benchmark of `riskscreen score`: whole processes, timed by /usr/bin/time, against a floor.
#
# Usage: Benchmarks/end-to-end.sh [--rounds N] [--students 100000,1000000] [--old OLD_BINARY]
#                                 [--format json|csv|table] [--data DIR] [NEW_BINARY]
#
#   NEW_BINARY  default: .build/release/riskscreen in the repository root
#   --rounds    rounds of timed runs (default 5); the table shows medians over them
#   --students  input sizes, comma-separated (default 100000,1000000)
#   --old       a second binary to time and to compare with, byte for byte
#   --format    score's --format (default json)
#   --data      where the inputs DIR/N.jsonl are kept (default ${TMPDIR:-/tmp}/riskscreen-e2e); a missing one is
#               made with NEW_BINARY's `generate --students N --seed 11 --rules Rules/campus-default`
#
# The floor is the least any scorer of the same input could take: `cat INPUT >/dev/null`, then writing as many
# bytes as NEW_BINARY's output (and summary) with `head -c SIZE /dev/zero` and making them durable with
# `sync FILE` (score fsyncs what it writes), timed as one `sh -c` command. The input is in the page cache (an
# untimed first run reads it), so the floor measures memory copies and one write to disk, no parsing or scoring.
#
# Reading the table: one block of rows per input size. "median wall" is the median, over the rounds, of the whole
# process's wall-clock seconds, with the fastest and slowest round beside it; "× floor" is that median over the
# floor's median (how many times the bare I/O the run costs); "peak RSS" is the median peak resident memory;
# "speed-up" (on the one-core rows) is the one-core median over the all-cores median (2.00 would be perfect on two
# cores). Each round runs every variant in turn, so a change of load hits all alike; the load averages at start
# and end tell how quiet the machine was. Outputs are compared byte for byte once per size (first round): new on
# one core against new on all cores and, with --old, old against new (--output and --summary files). Any
# difference makes the script exit 1, after the table.
#
# Progress goes to standard error, the Markdown report to standard output.
# shellcheck disable=SC2016 # backquotes in single quotes are Markdown; sh -c expands its own arguments
set -euo pipefail

usage() {
    sed -n '4,13s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

die() {
    printf 'end-to-end.sh: %s\n' "$*" >&2
    exit 2
}

log() {
    printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2
}

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

rounds=5
students=100000,1000000
old=
format=json
data=${TMPDIR:-/tmp}/riskscreen-e2e
new=

while (($# > 0)); do
    case $1 in
        --rounds | --students | --old | --format | --data)
            (($# >= 2)) || die "$1 needs a value"
            case $1 in
                --rounds) rounds=$2 ;;
                --students) students=$2 ;;
                --old) old=$2 ;;
                --format) format=$2 ;;
                --data) data=$2 ;;
            esac
            shift 2
            ;;
        -h | --help)
            usage
            exit 0
            ;;
        -*) die "unknown option $1 (see --help)" ;;
        *)
            [[ -z $new ]] || die "one NEW_BINARY only (got $new and $1)"
            new=$1
            shift
            ;;
    esac
done

[[ $rounds =~ ^[1-9][0-9]*$ ]] || die "--rounds must be a positive whole number, not '$rounds'"
case $format in
    json) ext=jsonl ;;
    csv) ext=csv ;;
    table) ext=txt ;;
    *) die "--format must be json, csv or table, not '$format'" ;;
esac
IFS=, read -r -a sizes <<<"$students"
((${#sizes[@]} > 0)) || die "--students needs at least one size"
for n in "${sizes[@]}"; do
    [[ $n =~ ^[1-9][0-9]*$ ]] || die "--students takes positive whole numbers separated by commas, not '$students'"
done

# Absolute paths, since everything runs from the repository root (where Rules/campus-default is).
absolute() {
    local dir
    dir=$(cd "$(dirname "$1")" && pwd) || return 1
    printf '%s/%s\n' "$dir" "$(basename "$1")"
}
new=${new:-$root/.build/release/riskscreen}
[[ -f $new && -x $new ]] || die "no executable NEW_BINARY at $new (swift build -c release in $root?)"
new=$(absolute "$new")
if [[ -n $old ]]; then
    [[ -f $old && -x $old ]] || die "no executable --old binary at $old"
    old=$(absolute "$old")
fi
mkdir -p "$data"
data=$(cd "$data" && pwd)

if [[ ! -x /usr/bin/time ]]; then
    log "installing GNU time (/usr/bin/time is missing)"
    if ((EUID == 0)); then
        apt-get install -y time >&2
    else
        sudo apt-get install -y time >&2
    fi
fi
command -v taskset >/dev/null || die "taskset (util-linux) is needed for the one-core runs"

work=$(mktemp -d "${TMPDIR:-/tmp}/riskscreen-e2e-run.XXXXXX")
partial=
cleanup() {
    rm -rf "$work"
    if [[ -n $partial ]]; then rm -f "$partial"; fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

out=$work/out.$ext
summary=$work/summary.txt
mkdir "$work/keep" "$work/times"

cd "$root"
load_start=$(cut -d' ' -f1-3 /proc/loadavg)

for n in "${sizes[@]}"; do
    input=$data/$n.jsonl
    if [[ ! -s $input ]]; then
        log "generating $n students into $input"
        partial=$data/.$n.partial.jsonl
        "$new" generate --students "$n" --seed 11 --rules Rules/campus-default --output "$partial"
        mv "$partial" "$input"
        partial=
    fi
done

# score_command BINARY INPUT: the score command line, into the array cmd.
score_command() {
    cmd=("$1" score --rules Rules/campus-default --as-of 2026-03-15 --format "$format" --output "$out")
    if [[ $format != table ]]; then cmd+=(--summary "$summary"); fi
    cmd+=("$2")
}

# run_timed KEY COMMAND...: runs COMMAND once under /usr/bin/time, appends its wall seconds and peak RSS (KB)
# to the lists of KEY. The output files are removed before, and are left for the caller to keep or remove.
run_timed() {
    local key=$1 wall rss
    shift
    rm -f "$out" "$summary"
    if ! /usr/bin/time -f '%e %M' -o "$work/time" "$@" >"$work/stdout" 2>"$work/stderr"; then
        printf 'end-to-end.sh: %s failed:' "$key" >&2
        printf ' %q' "$@" >&2
        printf '\n' >&2
        cat "$work/stderr" "$work/time" >&2
        exit 1
    fi
    # On failure GNU time writes a line before the format's; the figures are always the last line.
    read -r wall rss < <(tail -n 1 "$work/time")
    printf '%s\n' "$wall" >>"$work/times/$key.wall"
    printf '%s\n' "$rss" >>"$work/times/$key.rss"
}

# keep NAME: moves the outputs just written aside, for the comparisons.
keep() {
    mv "$out" "$work/keep/$1.$ext"
    if [[ $format != table ]]; then mv "$summary" "$work/keep/$1.summary.txt"; fi
}

# compare SIZE LABEL A B: compares the kept outputs A and B, records one row of the identity table.
failures=0
identity_rows=()
compare() {
    local size=$1 label=$2 a=$3 b=$4 kind file result cells=()
    for kind in output summary; do
        if [[ $kind == summary && $format == table ]]; then
            cells+=("(none: table)")
            continue
        fi
        file=$ext
        if [[ $kind == summary ]]; then file=summary.txt; fi
        if result=$(cd "$work/keep" && cmp -- "$a.$file" "$b.$file" 2>&1); then
            cells+=("identical")
        else
            cells+=("\`${result//$'\n'/ }\`")
            failures=$((failures + 1))
            log "DIFFERENT: $size students, $label, $kind: $result"
        fi
    done
    identity_rows+=("| $size | $label | ${cells[0]} | ${cells[1]} |")
}

cores=$(nproc)
variants=(floor new-all new-one)
if [[ -n $old ]]; then variants+=(old-all old-one); fi
declare -A output_bytes summary_bytes input_bytes

for ((round = 1; round <= rounds; round++)); do
    for n in "${sizes[@]}"; do
        input=$data/$n.jsonl
        if ((round == 1)); then
            # Untimed: reads the input into the page cache and tells the floor how much to write.
            log "$n students: untimed first run of new"
            score_command "$new" "$input"
            run_timed warm-up "${cmd[@]}"
            input_bytes[$n]=$(stat -L -c %s "$input")
            output_bytes[$n]=$(stat -c %s "$out")
            summary_bytes[$n]=0
            if [[ $format != table ]]; then summary_bytes[$n]=$(stat -c %s "$summary"); fi
            rm -f "$out" "$summary"
        fi
        for variant in "${variants[@]}"; do
            log "round $round/$rounds, $n students: $variant"
            case $variant in
                floor)
                    run_timed "$n.floor" sh -c 'cat "$1" >/dev/null && head -c "$2" /dev/zero >"$3" &&
                        if [ "$4" -gt 0 ]; then head -c "$4" /dev/zero >"$5"; sync "$3" "$5"; else sync "$3"; fi' \
                        floor "$input" "${output_bytes[$n]}" "$out" "${summary_bytes[$n]}" "$summary"
                    ;;
                new-all | old-all)
                    if [[ $variant == new-all ]]; then score_command "$new" "$input"; else score_command "$old" "$input"; fi
                    run_timed "$n.$variant" "${cmd[@]}"
                    ;;
                new-one | old-one)
                    if [[ $variant == new-one ]]; then score_command "$new" "$input"; else score_command "$old" "$input"; fi
                    run_timed "$n.$variant" taskset -c 0 "${cmd[@]}"
                    ;;
            esac
            if ((round == 1)) && [[ $variant != floor && $variant != old-one ]]; then keep "$n.$variant"; fi
            rm -f "$out" "$summary"
        done
        if ((round == 1)); then
            compare "$n" "new: 1 core vs $cores cores" "$n.new-one" "$n.new-all"
            if [[ -n $old ]]; then compare "$n" "old vs new, $cores cores" "$n.old-all" "$n.new-all"; fi
            rm -f "$work/keep/$n".*
        fi
    done
done

load_end=$(cut -d' ' -f1-3 /proc/loadavg)

# median FILE: the median of the numbers in FILE, one a line.
median() {
    sort -n "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# range FILE: "fastest–slowest".
range() {
    sort -n "$1" | awk 'NR == 1 { lo = $1 } { hi = $1 } END { printf "%.2f–%.2f", lo, hi }'
}
mb() {
    awk -v b="$1" 'BEGIN { printf "%.1f", b / 1e6 }'
}
describe() {
    case $1 in
        floor) printf 'floor: cat + write + sync' ;;
        new-all) printf 'new, %s cores' "$cores" ;;
        new-one) printf 'new, 1 core (taskset -c 0)' ;;
        old-all) printf 'old, %s cores' "$cores" ;;
        old-one) printf 'old, 1 core (taskset -c 0)' ;;
    esac
}
binary_facts() {
    printf '`%s` (sha256 %s, built %s)' "$1" "$(sha256sum "$1" | cut -c1-12)" "$(date -r "$1" '+%Y-%m-%d %H:%M')"
}

cpu=$(awk -F': *' '/^model name/ { print $2; exit }' /proc/cpuinfo)
revision=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || printf 'unknown')
if [[ -n $(git --no-optional-locks -C "$root" status --porcelain --untracked-files=no 2>/dev/null) ]]; then revision+=" (with local changes)"; fi

printf '## riskscreen score, end to end\n\n'
printf -- '- machine: %s CPUs (nproc), %s, %s\n' "$cores" "${cpu:-unknown CPU}" "$(uname -sr)"
printf -- '- date: %s\n' "$(date '+%Y-%m-%d %H:%M:%S %Z')"
printf -- '- load average (1, 5, 15 min): %s at start, %s at end\n' "$load_start" "$load_end"
printf -- '- repository: `%s` at %s\n' "$root" "$revision"
printf -- '- new: %s\n' "$(binary_facts "$new")"
if [[ -n $old ]]; then printf -- '- old: %s\n' "$(binary_facts "$old")"; fi
printf -- '- command: `score --rules Rules/campus-default --as-of 2026-03-15 --format %s --output FILE%s INPUT`\n' \
    "$format" "$([[ $format == table ]] || printf ' --summary FILE')"
printf -- '- %s round(s), variants in turn each round; medians over the rounds\n' "$rounds"
for n in "${sizes[@]}"; do
    printf -- '- %s students: input %s MB (`%s`), output %s MB' \
        "$n" "$(mb "${input_bytes[$n]}")" "$data/$n.jsonl" "$(mb "${output_bytes[$n]}")"
    if [[ $format != table ]]; then printf ' + summary %s MB' "$(mb "${summary_bytes[$n]}")"; fi
    printf '\n'
done
printf '\n'

printf '| students | variant | median wall (s) | fastest–slowest (s) | × floor | median peak RSS (MB) | speed-up 1 core → %s |\n' "$cores"
printf '|---:|---|---:|---:|---:|---:|---:|\n'
for n in "${sizes[@]}"; do
    floor=$(median "$work/times/$n.floor.wall")
    for variant in "${variants[@]}"; do
        wall=$(median "$work/times/$n.$variant.wall")
        rss=$(median "$work/times/$n.$variant.rss")
        speedup=
        case $variant in
            new-one | old-one)
                speedup=$(awk -v one="$wall" -v all="$(median "$work/times/$n.${variant%-one}-all.wall")" \
                    'BEGIN { if (all > 0) printf "%.2f", one / all; else print "n/a" }')
                ;;
        esac
        printf '| %s | %s | %s | %s | %s | %s | %s |\n' \
            "$n" "$(describe "$variant")" \
            "$(awk -v w="$wall" 'BEGIN { printf "%.2f", w }')" \
            "$(range "$work/times/$n.$variant.wall")" \
            "$(awk -v w="$wall" -v f="$floor" 'BEGIN { if (f > 0) printf "%.1f", w / f; else print "n/a" }')" \
            "$(awk -v k="$rss" 'BEGIN { printf "%.1f", k / 1024 }')" \
            "$speedup"
    done
done
printf '\n'

printf '### Byte identity (%s, first round)\n\n' "$format"
printf '| students | pair | --output | --summary |\n'
printf '|---:|---|---|---|\n'
printf '%s\n' "${identity_rows[@]}"

if ((failures > 0)); then
    printf '\n**%s comparison(s) differ.**\n' "$failures"
    log "$failures comparison(s) differ"
    exit 1
fi
