#!/bin/sh
# deb post-install: device rules and the group the kiosk runs in.
set -e
getent group kiosk >/dev/null || groupadd --system kiosk
install -m 0644 "/opt/Kiosk Terminal/resources/udev/99-kiosk-devices.rules" /etc/udev/rules.d/99-kiosk-devices.rules
udevadm control --reload-rules 2>/dev/null || true
udevadm trigger 2>/dev/null || true
