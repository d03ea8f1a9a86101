#!/bin/bash
# install-deps.sh: install what Port Query needs to build, run and test on
# Debian 12 (bookworm). Run as root (or with sudo). Safe to run again.
set -euo pipefail

packages=(
  # build
  meson ninja-build pkg-config gcc clang gettext
  libreadline-dev   # portqry -i: line editing (GPL-3.0, as this project)
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libjson-glib-dev
  # data-file checks
  desktop-file-utils appstream librsvg2-bin
  # integration tests: namespaces, firewall rules, small peers
  iproute2 nftables iptables socat python3 procps
  # real protocol servers for the probe tests (no service starts on install
  # on these machines; the tests start them in namespaces)
  dnsmasq-base dnsutils slapd ldap-utils snmpd snmp nbtscan
  samba samba-ad-dc samba-ad-provision samba-dsdb-modules samba-vfs-modules
  smbclient winbind python3-samba
  vsftpd dovecot-pop3d dovecot-imapd opensmtpd lighttpd
  tftpd-hpa xl2tpd strongswan-charon
  # TLS: GIO's backend (the certificate probe), HTTPS and RDP servers
  glib-networking lighttpd-mod-openssl xrdp openssl
  # fuzzing (libFuzzer) and sanitizers with clang
  libclang-rt-14-dev
  # window tests and screenshots
  xvfb xauth imagemagick dbus
  # the window through AT-SPI, as a screen reader reads it, and real keys
  python3-pyatspi at-spi2-core xdotool
  # the HTML report printed: headless Chromium to PDF, read back as text
  chromium poppler-utils
  # bench/scan-bench times portqry against nmap
  nmap
  # Flatpak manifest check (a real build needs the GNOME SDK, see README)
  flatpak-builder
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi

SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
echo "install-deps: installing ${missing[*]}"
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "install-deps: done"
