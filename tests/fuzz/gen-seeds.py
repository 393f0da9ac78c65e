#!/usr/bin/env python3
# Writes the seed corpora of the fuzz targets into corpus/<target>/.
# The seeds are checked in; run this again only to change them.
import os
import struct

top = os.path.dirname(os.path.abspath(__file__))
repo = os.path.dirname(os.path.dirname(top))


def write(target, name, data):
    d = os.path.join(top, "corpus", target)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "wb") as f:
        f.write(data)


# --- fuzz_config: the example and test configurations, and a full one.
for rel in ("sdk/guest-freestanding/examples/demo.cfg",
            "tests/integration/cases/hello.cfg",
            "tests/integration/cases/isolation.cfg",
            "tests/integration/cases/bad_config.cfg"):
    with open(os.path.join(repo, rel), "rb") as f:
        write("fuzz_config", os.path.basename(rel), f.read())
write("fuzz_config", "minimal.cfg",
      b"[partition a]\nimage = \\a.elf\nmemory = 2M\n")
write("fuzz_config", "all_keys.cfg",
      b"# every key\n[hypervisor]\ntimeslice_ms = 1000\n"
      b"debug_exit_port = 0xffff\nlog_exits = yes\n\n"
      b"[partition first]\nimage = \\EFI\\veneer\\first.elf\nmemory = 4G\n"
      b"vps = 1\nprivileges = debug_console, create_partitions\n"
      b"cmdline = a=1 b=\"two words\"\n"
      b"[partition second]\nimage = \\b.elf\nmemory = 2048K\n"
      b"privileges = none\r\n")


# --- fuzz_elf: minimal valid x86-64 executables.
def elf(segments, entry):
    """segments: list of (gpa, flags, file bytes, memsz)."""
    phoff = 64
    data_off = phoff + 56 * len(segments)
    ehdr = (b"\x7fELF" + bytes([2, 1, 1]) + bytes(9) +
            struct.pack("<HHIQQQIHHHHHH", 2, 62, 1, entry, phoff, 0, 0, 64,
                        56, len(segments), 0, 0, 0))
    phdrs, body = b"", b""
    off = data_off
    for gpa, flags, content, memsz in segments:
        phdrs += struct.pack("<IIQQQQQQ", 1, flags, off, gpa, gpa,
                             len(content), memsz, 0x1000)
        body += content
        off += len(content)
    return ehdr + phdrs + body


code = bytes.fromhex("f4ebfd")  # hlt; jmp $-1
write("fuzz_elf", "one_segment.elf", elf([(0x1000, 5, code, len(code))],
                                         0x1000))
write("fuzz_elf", "text_data_bss.elf",
      elf([(0x2000, 5, code * 8, 24), (0x4000, 6, b"data" * 8, 0x3000)],
          0x2004))
write("fuzz_elf", "high_segment.elf",
      elf([(0xE000, 7, code, 0x2000)], 0xE000))


# --- fuzz_bzimage: minimal 64-bit bzImages (boot protocol 2.15).
def bzimage(setup_sects, kernel, trailer=b"", pref=0x1000000,
            init_size=0x200000):
    setup = bytearray(((setup_sects or 4) + 1) * 512)
    struct.pack_into("<BHIHHHH", setup, 0x1F1, setup_sects, 0,
                     len(kernel) // 16, 0, 0xFFFF, 0, 0xAA55)
    struct.pack_into("<H4sH", setup, 0x200, 0x6AEB, b"HdrS", 0x020F)
    struct.pack_into("<B", setup, 0x211, 0x01)
    struct.pack_into("<IIBBHI", setup, 0x22C, 0x7FFFFFFF, 0x200000, 1, 21,
                     0x03, 2047)
    struct.pack_into("<QI", setup, 0x258, pref, init_size)
    return bytes(setup) + kernel + trailer


kernel = (code * 0x200)[:0x400]
write("fuzz_bzimage", "minimal.bzImage", bzimage(1, kernel))
write("fuzz_bzimage", "initrd.bzImage",
      bzimage(4, kernel, struct.pack("<I", 0x10000)))
write("fuzz_bzimage", "setup_sects_0.bzImage",
      bzimage(0, kernel, b"", 0x1000000 + 0x1000, 0x100000))


# --- fuzz_hypercall: records of (control, RDX, R8, CPL, flags), then RAM.
def control(code, fast=0, reps=0, start=0):
    return code | (fast << 16) | (reps << 32) | (start << 48)


def calls(recs, ram=b""):
    out = bytes([len(recs) - 1])
    for c, rdx, r8, cpl, flags in recs:
        out += struct.pack("<QQQBB", c, rdx, r8, cpl, flags)
    return out + ram


write("fuzz_hypercall", "null_call", calls([(control(1, 1), 0, 0, 0, 0)]))
write("fuzz_hypercall", "partition_info",
      calls([(control(3), 0, 0x2000, 0, 0)]))
write("fuzz_hypercall", "vp_info",
      calls([(control(4), 0x1000, 0x2000, 0, 0)],
            bytes(0x1000) + struct.pack("<II", 0, 0)))
write("fuzz_hypercall", "debug_write",
      calls([(control(2), 0x1000, 0, 0, 0)],
            bytes(0x1000) + struct.pack("<II", 6, 0) + b"hello\n"))
write("fuzz_hypercall", "query_512",
      calls([(control(9, 0, 512, 0), 0x1000, 0x2000, 0, 0),
             (control(9, 0, 4, 2), 0x1000, 0x3000, 0, 0)],
            bytes(0x1000) + struct.pack("<Q", 0)))
write("fuzz_hypercall", "time_yield_halt_exit",
      calls([(control(5, 1), 0, 0, 0, 0), (control(6, 1), 0, 0, 0, 0),
             (control(7, 1), 100, 0, 0, 0), (control(8, 1), 7, 0, 0, 0)]))
write("fuzz_hypercall", "refused",
      calls([(control(2), 0x1000, 0, 0, 1), (control(1, 1), 0, 0, 3, 0),
             (control(1, 1) | 1 << 63, 0, 0, 0, 0),
             (control(4), 0x7FF8, 0x1FF0, 0, 0)]))


# --- fuzz_pc_platform: 12-byte operations (opcode, index, flags, width,
# value), an xAPIC access followed by its 15 instruction bytes.
def pc_op(code, index=0, flags=0, width=0, value=0):
    return struct.pack("<BBBBQ", code, index, flags, width, value)


WRMSR, RDMSR, OUT, IN, TIME, XAPIC, TAKE, EOI = range(8)
APIC_BASE, DEADLINE = 0x80, 0x81  # pick_msr: 2 << 6, even and odd
x2apic = lambda reg: reg  # pick_msr: 0 << 6 | reg
write("fuzz_pc_platform", "uart_autoconfig", b"".join([
    pc_op(OUT, 7, 0, 0, 0x55), pc_op(IN, 7),
    pc_op(OUT, 1, 0, 0, 0), pc_op(IN, 1), pc_op(OUT, 1, 0, 0, 0x0F),
    pc_op(IN, 1), pc_op(OUT, 4, 0, 0, 0x1A), pc_op(IN, 6),
    pc_op(OUT, 2, 0, 0, 0x01), pc_op(IN, 2), pc_op(OUT, 0, 0, 0, 0x41),
    pc_op(IN, 15, 0, 2), pc_op(OUT, 16, 0, 1, 0x1234)]))
write("fuzz_pc_platform", "x2apic_deadline_timer", b"".join([
    pc_op(WRMSR, APIC_BASE, 0, 0, 0xFEE00D00),
    pc_op(WRMSR, x2apic(0x0F), 0, 0, 0x1FF),
    pc_op(WRMSR, x2apic(0x32), 0, 0, 0x400EC),
    pc_op(WRMSR, DEADLINE, 0, 0, 100000),
    pc_op(TIME, 0, 0, 0, 200000), pc_op(TAKE), pc_op(EOI)]))
write("fuzz_pc_platform", "x2apic_periodic_timer", b"".join([
    pc_op(WRMSR, APIC_BASE, 0, 0, 0xFEE00D00),
    pc_op(WRMSR, x2apic(0x0F), 0, 0, 0x1FF),
    pc_op(WRMSR, x2apic(0x3E), 0, 0, 0xB),
    pc_op(WRMSR, x2apic(0x32), 0, 0, 0x200EC),
    pc_op(WRMSR, x2apic(0x38), 0, 0, 1),
    pc_op(TIME, 0, 0, 0, 1000000), pc_op(TAKE), pc_op(EOI),
    pc_op(TIME, 0, 0, 0, 1000000)]))
write("fuzz_pc_platform", "xapic_page_mov", b"".join([
    pc_op(XAPIC, 0x02, 0) + bytes([3, 0x8B, 0x00]) + bytes(12),
    pc_op(XAPIC, 0x0B, 1) + bytes([8, 0xC7, 0x04, 0x25, 0xB0, 0, 0xE0,
                                   0xFE, 0]) + bytes(6),
    pc_op(XAPIC, 0x30, 1) + bytes([3, 0x44, 0x89, 0x07]) + bytes(11)]))
write("fuzz_pc_platform", "pvclock", b"".join([
    pc_op(WRMSR, 0x41, 0, 0, 0x1001), pc_op(RDMSR, 0x41),
    pc_op(WRMSR, 0x40, 0, 0, 0x2004), pc_op(WRMSR, 0x41, 0, 0, 0x3FE1)]))
