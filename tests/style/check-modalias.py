#!/usr/bin/env python3
"""Fails when a Linux class driver's alias does not name its class.

  check-modalias.py ROOT

veneer_bus.ko announces a device as MODALIAS=veneer:<the 16 bytes of its
class GUID in hex>; the console driver declares MODULE_ALIAS for the bytes
of VNR_CONSOLE_CLASS, so udev loads it.  The two are written separately
(a C string and a byte array), and this compares them.
"""
import os
import re
import sys


def class_bytes(path, name):
    text = open(path).read()
    m = re.search(r'#define\s+' + name + r'\b((?:.*\\\n)*.*)', text)
    if not m:
        sys.exit(f'{path}: no {name}')
    digits = re.findall(r'0x([0-9a-fA-F]{2})\b', m.group(1))
    if len(digits) != 16:
        sys.exit(f'{path}: {name} has {len(digits)} bytes, not 16')
    return ''.join(d.lower() for d in digits)


def aliases(path):
    return re.findall(r'MODULE_ALIAS\("veneer:([0-9a-f]*)"\)',
                      open(path).read())


def main():
    root = sys.argv[1]
    protocol = os.path.join(root, 'synthetic-devices/console/include/'
                            'vnr_console/protocol.h')
    driver = os.path.join(root, 'sdk/guest-linux/console/console.c')
    want = class_bytes(protocol, 'VNR_CONSOLE_CLASS')
    got = aliases(driver)
    if got != [want]:
        print(f'{driver}: MODULE_ALIAS veneer:{got}, VNR_CONSOLE_CLASS is '
              f'veneer:{want}')
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
