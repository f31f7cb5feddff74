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
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium chromium-driver
test -x /usr/bin/chromium && test -x /usr/bin/chromedriver
