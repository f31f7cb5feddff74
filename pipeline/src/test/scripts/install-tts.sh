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
# another apt-get or dpkg (a second build installing its own tools, the system's updates) may
# hold the package locks: install waits for them, and update, which cannot wait, is tried again
for try in 1 2 3 4 5 6 7 8; do
    $SUDO apt-get update -qq && break
    sleep 15
done
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq flite festival festvox-kallpc16k festvox-kdlpc16k espeak-ng sox
for tool in flite festival text2wave espeak-ng sox; do
    command -v "$tool" >/dev/null 2>&1 || { echo "install-tts: $tool is still missing" >&2; exit 1; }
done
for voice in kal_diphone ked_diphone; do
    [ -d "/usr/share/festival/voices/english/$voice" ] || { echo "install-tts: festival voice $voice is still missing" >&2; exit 1; }
done
