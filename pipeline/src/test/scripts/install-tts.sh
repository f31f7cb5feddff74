#!/bin/sh
# Installs the Debian speech synthesisers and sox that the synthetic-call corpus tests render
# phrases with (io.earshot.pipeline.corpus), when any is missing. Maven runs this before the
# tests and again before the ITs; with everything present it only checks and exits.
set -eu
missing=""
for tool in flite festival text2wave espeak-ng sox; do
    command -v "$tool" >/dev/null 2>&1 || missing="$missing $tool"
done
for voice in kal_diphone ked_diphone; do
    [ -d "/usr/share/festival/voices/english/$voice" ] || missing="$missing $voice"
done
if [ -z "$missing" ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-tts: missing:$missing and there is no apt-get; install flite, festival," \
         "festvox-kallpc16k, festvox-kdlpc16k, espeak-ng and sox by hand" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo -n"
fi
echo "install-tts: missing:$missing; installing them with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq flite festival festvox-kallpc16k festvox-kdlpc16k espeak-ng sox
for tool in flite festival text2wave espeak-ng sox; do
    command -v "$tool" >/dev/null 2>&1 || { echo "install-tts: $tool is still missing" >&2; exit 1; }
done
for voice in kal_diphone ked_diphone; do
    [ -d "/usr/share/festival/voices/english/$voice" ] || { echo "install-tts: festival voice $voice is still missing" >&2; exit 1; }
done
