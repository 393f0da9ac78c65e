#!/usr/bin/env python3
"""Fails when a Linux class driver's alias does not name its class.

  check-modalias.py ROOT

veneer_bus.ko announces a device as MODALIAS=veneer:<the 16 bytes of its
class GUID in hex>; each class driver declares MODULE_ALIAS for the bytes
of its class (the console driver VNR_CONSOLE_CLASS, the block driver
VNR_BLOCK_CLASS), so udev loads it.  The two are written separately (a C
string and a byte array), and this compares them.
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


# Each class driver: its source, the protocol header and its class macro.
DRIVERS = [
    ('sdk/guest-linux/console/console.c',
     'synthetic-devices/console/include/vnr_console/protocol.h',
     'VNR_CONSOLE_CLASS'),
    ('sdk/guest-linux/block/block.c',
     'synthetic-devices/block/include/vnr_block/protocol.h',
     'VNR_BLOCK_CLASS'),
]


def main():
    root = sys.argv[1]
    failed = 0
    for driver, protocol, name in DRIVERS:
        driver = os.path.join(root, driver)
        want = class_bytes(os.path.join(root, protocol), name)
        got = aliases(driver)
        if got != [want]:
            print(f'{driver}: MODULE_ALIAS veneer:{got}, {name} is '
                  f'veneer:{want}')
            failed = 1
    return failed


if __name__ == '__main__':
    sys.exit(main())
