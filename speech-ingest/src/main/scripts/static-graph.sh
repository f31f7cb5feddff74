#!/bin/sh
# Gives a Vosk model with a lookahead decoding graph (graph/HCLr.fst and graph/Gr.fst, as the small
# English model has) a static one: graph/HCLG.fst, the two composed once, and graph/words.txt.
# Vosk loads graph/HCLG.fst when it is there and decodes on it instead of composing the two on the
# fly, a cache in every recogniser: the same transcripts, for a third to a half of the recogniser's CPU
# and without the cache's 100-200 MB per recogniser; the process holds the graph once (about
# 225 MB for the small English model). docs/configuration.md, "The decoding graph", has the figures.
#
#   static-graph.sh MODEL_DIR [CACHE_DIR]
#
# The build runs this on the model it unpacks; run it on a model you bring (--model DIR) the same
# way. With CACHE_DIR, the graph is composed there once per model (keyed by a hash of the two
# graphs) and hard-linked into MODEL_DIR. Needs the OpenFst tools (Debian's libfst-tools), which
# this installs with apt-get when they are missing. EARSHOT_STATIC_GRAPH=off, or no way to get the
# tools, leaves the model as it is, with a warning: Earshot then runs on the lookahead graph.
set -eu

say() { echo "static-graph: $*" >&2; }

model="${1:?usage: static-graph.sh MODEL_DIR [CACHE_DIR]}"
cache="${2:-}"
graph="$model/graph"

if [ "${EARSHOT_STATIC_GRAPH:-on}" = off ]; then
    exit 0
fi
if [ -f "$graph/HCLG.fst" ]; then
    exit 0
fi
if [ ! -f "$graph/HCLr.fst" ] || [ ! -f "$graph/Gr.fst" ] || [ ! -f "$graph/disambig_tid.int" ]; then
    say "$model has no lookahead graph (graph/HCLr.fst, graph/Gr.fst, graph/disambig_tid.int): nothing to compose"
    exit 0
fi

key="$(cat "$graph/HCLr.fst" "$graph/Gr.fst" "$graph/disambig_tid.int" | sha256sum | cut -c1-16)"
if [ -n "$cache" ]; then
    mkdir -p "$cache"
    out="$cache/static-graph-$key"
else
    out="$graph/.static-graph-$key"
fi

plugins=""
work=""
cleanup() { rm -rf ${plugins:+"$plugins"} ${work:+"$work"}; }
trap cleanup EXIT

tools="fstcompose fstrelabel fstconvert fstsymbols fstinfo"
have_tools() {
    for t in $tools; do
        command -v "$t" >/dev/null 2>&1 || return 1
    done
}

# the OpenFst tools, installed when missing, and the library path that gives them the graphs' types
prepare_tools() {
    if ! have_tools; then
        SUDO=""
        [ "$(id -u)" -ne 0 ] && SUDO="sudo -n"
        if command -v apt-get >/dev/null 2>&1 && { [ -z "$SUDO" ] || sudo -n true 2>/dev/null; }; then
            say "installing the OpenFst tools (libfst-tools) with apt-get"
            export DEBIAN_FRONTEND=noninteractive
            # another apt-get or dpkg (a second build installing its own tools, the system's updates)
            # may hold the package locks: install waits for them, and update, which cannot wait, is
            # tried again
            for try in 1 2 3 4 5 6 7 8; do
                $SUDO apt-get update -qq >&2 && break
                sleep 15
            done
            $SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq libfst-tools >&2 || true
        fi
        if ! have_tools; then
            say "WARNING: the OpenFst tools ($tools; Debian package libfst-tools) are missing and could not be" \
                "installed: $model keeps its lookahead graph, and recognition costs two to three times the CPU"
            return 1
        fi
    fi

    # The two graphs are of the FST types OpenFst keeps in extension libraries ("olabel_lookahead",
    # "ngram"); the tools load an unknown type from "<type>-fst.so" on the library path.
    plugins="$(mktemp -d)"
    for pair in olabel_lookahead:libfstlookahead ngram:libfstngram; do
        type="${pair%%:*}"
        lib=""
        for candidate in /usr/lib/*-linux-gnu/"${pair#*:}".so* /usr/lib64/"${pair#*:}".so* /usr/lib/"${pair#*:}".so* \
                /usr/local/lib/"${pair#*:}".so*; do
            if [ -f "$candidate" ]; then
                lib="$candidate"
                break
            fi
        done
        if [ -z "$lib" ]; then
            say "WARNING: no ${pair#*:}.so (OpenFst's $type FST type): $model keeps its lookahead graph"
            return 1
        fi
        ln -s "$lib" "$plugins/$type-fst.so"
    done
    LD_LIBRARY_PATH="$plugins${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
    export LD_LIBRARY_PATH
}

compose() {
    # the word list Vosk reads when the graph carries none, and the grammar without its symbols
    fstsymbols --save_osymbols="$work/words.txt" "$graph/Gr.fst" "$work/discard.fst" || return 1
    fstsymbols --clear_isymbols --clear_osymbols "$graph/Gr.fst" "$work/Gr.fst" || return 1
    rm -f "$work/discard.fst"
    fstcompose "$graph/HCLr.fst" "$work/Gr.fst" "$work/composed.fst" || return 1
    rm -f "$work/Gr.fst"
    # the disambiguation symbols, which the lookahead decoder drops as it goes, become epsilons
    awk '{ print $1, 0 }' "$graph/disambig_tid.int" > "$work/disambig.pairs" || return 1
    fstrelabel --relabel_ipairs="$work/disambig.pairs" "$work/composed.fst" "$work/relabelled.fst" || return 1
    rm -f "$work/composed.fst"
    fstconvert --fst_type=const "$work/relabelled.fst" "$work/HCLG.fst" || return 1
    rm -f "$work/relabelled.fst" "$work/disambig.pairs"
    states="$(fstinfo "$work/HCLG.fst" | awk -F'  +' '/^# of states/ { print $2 }')"
    [ -n "$states" ] && [ "$states" -gt 0 ]
}

if [ ! -f "$out/HCLG.fst" ]; then
    prepare_tools || exit 0
    say "composing a static decoding graph for $model (about a minute, once)"
    work="$(mktemp -d "$(dirname "$out")/.static-graph-XXXXXX")"
    chmod 755 "$work"
    if ! compose; then
        say "WARNING: composing the static graph failed: $model keeps its lookahead graph, and recognition" \
            "costs two to three times the CPU"
        exit 0
    fi
    rm -rf "$out"
    mv "$work" "$out"
    work=""
fi

# words first, the graph last: Vosk takes the model as static only once HCLG.fst is there
ln -f "$out/words.txt" "$graph/words.txt" 2>/dev/null || cp "$out/words.txt" "$graph/words.txt"
ln -f "$out/HCLG.fst" "$graph/.HCLG.fst.tmp" 2>/dev/null || cp "$out/HCLG.fst" "$graph/.HCLG.fst.tmp"
mv "$graph/.HCLG.fst.tmp" "$graph/HCLG.fst"
if [ -z "$cache" ]; then
    rm -rf "$out"
fi
say "$model: static decoding graph graph/HCLG.fst ($(du -m "$graph/HCLG.fst" | cut -f1) MB)"
