#!/bin/sh
# Installs Debian's headless browser for the dashboard's browser test (DashboardIT) when it is
# missing. Maven runs this in pre-integration-test, so `./mvnw verify` works on a fresh machine.
set -eu
if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then
    exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
    echo "install-chromium: /usr/bin/chromium or /usr/bin/chromedriver is missing and there is no apt-get;" \
         "install Chromium and its driver by hand" >&2
    exit 1
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    SUDO="sudo -n"
fi
echo "install-chromium: installing chromium and chromium-driver with apt-get"
export DEBIAN_FRONTEND=noninteractive
# another apt-get or dpkg (a second build installing its own tools, the system's updates) may
# hold the package locks: install waits for them, and update, which cannot wait, is tried again
for try in 1 2 3 4 5 6 7 8; do
    $SUDO apt-get update -qq && break
    sleep 15
done
$SUDO apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium chromium-driver
test -x /usr/bin/chromium && test -x /usr/bin/chromedriver
