#!/bin/sh
# The console alternative to cage + foot: the kiosk user's login shell on
# tty1 (getty autologin). Starts cekiosk again whenever it exits.
set -u
set -a; [ -r /etc/cekiosk/kiosk.env ] && . /etc/cekiosk/kiosk.env; set +a
while true; do
  /usr/local/bin/cekiosk --config /etc/cekiosk --db /var/lib/cekiosk/kiosk.db run
  sleep 1
done
