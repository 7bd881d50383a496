#!/usr/bin/env python3
"""soname.py LIB.so: print the SONAME (DT_SONAME) of a shared library, the
name the build gives dlopen() (lib/wheel/zipread.c opens libzip by it).
Reads the ELF file itself: no binutils needed. Exit 1 with a message when
the file has none."""
import struct
import sys


def soname(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:4] != b"\x7fELF":
        raise ValueError("not an ELF file")
    is64 = data[4] == 2
    end = "<" if data[5] == 1 else ">"
    if is64:
        phoff, = struct.unpack_from(end + "Q", data, 0x20)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x36)
    else:
        phoff, = struct.unpack_from(end + "I", data, 0x1C)
        phentsize, phnum = struct.unpack_from(end + "HH", data, 0x2A)
    loads, dyn = [], None
    for i in range(phnum):
        off = phoff + i * phentsize
        if is64:
            p_type, _, p_offset, p_vaddr, _, p_filesz = struct.unpack_from(
                end + "IIQQQQ", data, off)
        else:
            p_type, p_offset, p_vaddr, _, p_filesz = struct.unpack_from(
                end + "IIIII", data, off)
        if p_type == 1:
            loads.append((p_vaddr, p_offset, p_filesz))
        elif p_type == 2:
            dyn = (p_offset, p_filesz)
    if dyn is None:
        raise ValueError("no dynamic section")
    fmt, size = (end + "qQ", 16) if is64 else (end + "iI", 8)
    strtab, name = None, None
    for off in range(dyn[0], dyn[0] + dyn[1], size):
        tag, val = struct.unpack_from(fmt, data, off)
        if tag == 0:
            break
        if tag == 5:
            strtab = val
        elif tag == 14:
            name = val
    if strtab is None or name is None:
        raise ValueError("no DT_SONAME")
    for vaddr, offset, filesz in loads:
        if vaddr <= strtab < vaddr + filesz:
            start = strtab - vaddr + offset + name
            return data[start:data.index(b"\0", start)].decode()
    raise ValueError("string table outside the file")


if __name__ == "__main__":
    try:
        print(soname(sys.argv[1]))
    except (OSError, ValueError, struct.error, IndexError) as e:
        sys.exit("soname.py: %s: %s" % (sys.argv[1], e))
