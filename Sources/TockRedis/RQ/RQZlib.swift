import CompressNIO
import NIOCore
import Synchronization

/// zlib compression as RQ uses it (job `data`, results' `exc_string`): the zlib format
/// (header `78 9c`), default level. One compressor and one decompressor per backend, reset
/// between uses: setting up a fresh zlib stream allocates some 256 KiB, and cost 50 µs a
/// job, more than storing it.
final class RQZlib: Sendable {
    private let compressor: Mutex<ZlibCompressor?>
    private let decompressor: Mutex<ZlibDecompressor?>

    init() {
        compressor = Mutex(try? ZlibCompressor(algorithm: .zlib))
        decompressor = Mutex(try? ZlibDecompressor(algorithm: .zlib))
    }

    /// `text` compressed; its plain bytes only if zlib itself fails (out of memory).
    func compress(_ text: String) -> [UInt8] {
        var input = ByteBuffer(string: text)
        let compressed: [UInt8]? = compressor.withLock { compressor in
            guard let compressor else { return nil }
            var output = ByteBufferAllocator().buffer(capacity: compressor.maxSize(from: input))
            do {
                try compressor.reset()
                try compressor.deflate(from: &input, to: &output, flush: .finish)
                return output.readBytes(length: output.readableBytes)
            } catch {
                return nil
            }
        }
        return compressed ?? Array(text.utf8)
    }

    /// The bytes `bytes` decompress to, at most `limit` of them; nil when they are not a
    /// complete zlib stream.
    func decompress(_ bytes: [UInt8], limit: Int) -> [UInt8]? {
        decompressor.withLock { decompressor -> [UInt8]? in
            guard let decompressor else { return nil }
            var input = ByteBuffer(bytes: bytes)
            var output = ByteBufferAllocator().buffer(capacity: min(limit, max(256, bytes.count * 4)))
            do {
                try decompressor.reset()
                while true {
                    do {
                        try decompressor.inflate(from: &input, to: &output)
                        break
                    } catch let error as CompressNIOError where error == .bufferOverflow && output.capacity < limit {
                        output.reserveCapacity(min(limit, output.capacity * 2))
                    }
                }
            } catch {
                return nil
            }
            return output.readBytes(length: output.readableBytes)
        }
    }
}
