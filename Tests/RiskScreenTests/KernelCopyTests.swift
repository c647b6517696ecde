import Foundation
import Testing

@testable import RiskScreenCommand

/// When the command stops asking the kernel to copy the scratch file into the output, and when it does not.
@Suite("kernel copy")
struct KernelCopyTests {
    @Test(
        "a refusal turns the kernel copy off for the run",
        arguments: [EXDEV, EINVAL, EBADF, ENOSYS, EOPNOTSUPP, EPERM, 0])
    func aRefusalTurnsTheKernelCopyOff(code: Int32) {
        #expect(OutputFile.refusesKernelCopy(errno: code))
    }

    @Test(
        "a failure to copy is not a refusal: the write of the rest reports it",
        arguments: [ENOSPC, EIO, EFBIG, EDQUOT, ENOMEM])
    func aFailureToCopyIsNotARefusal(code: Int32) {
        #expect(!OutputFile.refusesKernelCopy(errno: code))
    }
}
