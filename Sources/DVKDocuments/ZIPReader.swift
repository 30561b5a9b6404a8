import CInflate
import DVKCore
import Foundation

/// Reads the parts of an uploaded ZIP package (an .xlsx) with every cost counted here:
/// the directory is checked before anything is read (each offset and size inside the file,
/// at most `maxEntries` entries, no ZIP64 record: a workbook people upload is far below
/// 4 GB), and a part inflates with zlib into at most the bytes the caller allows, counted
/// as they come out, never the size the file declares. A truncated or corrupt stream is an
/// error, not a loop. Only "stored" and "deflate" parts, as Excel and LibreOffice write.
struct ZIPReader {
    static let maxEntries = 1_000

    struct Entry {
        var method: UInt16
        var crc: UInt32
        var compressedSize: Int
        var dataOffset: Int
    }

    enum Failure: Error { case notAZip, damaged }

    private let bytes: [UInt8]
    private(set) var entries: [String: Entry] = [:]

    init(_ data: Data) throws {
        bytes = [UInt8](data)
        try readDirectory()
    }

    private func u16(_ at: Int) -> Int? {
        guard at >= 0, at + 2 <= bytes.count else { return nil }
        return Int(bytes[at]) | Int(bytes[at + 1]) << 8
    }

    private func u32(_ at: Int) -> Int? {
        guard let low = u16(at), let high = u16(at + 2) else { return nil }
        return low | high << 16
    }

    /// Whether an extra-field block holds a ZIP64 record, or runs past its end.
    private func zip64(extraAt start: Int, length: Int) -> Bool {
        var at = start
        while at + 4 <= start + length {
            guard let id = u16(at), let size = u16(at + 2) else { return true }
            if id == 0x0001 { return true }
            at += 4 + size
        }
        return at > start + length
    }

    private mutating func readDirectory() throws {
        // The end record: in the last 22 + 65,535 bytes (its comment), searched backwards.
        guard bytes.count >= 22 else { throw Failure.notAZip }
        var end = -1
        var at = bytes.count - 22
        let lowest = max(0, bytes.count - 22 - 65_535)
        while at >= lowest {
            if u32(at) == 0x0605_4B50 { end = at; break }
            at -= 1
        }
        guard end >= 0 else { throw Failure.notAZip }
        guard u32(end - 20) != 0x0706_4B50,  // a ZIP64 locator
              u16(end + 4) == 0, u16(end + 6) == 0,
              let onDisk = u16(end + 8), let count = u16(end + 10), onDisk == count, count <= Self.maxEntries,
              let size = u32(end + 12), let offset = u32(end + 16), size != 0xFFFF_FFFF, offset != 0xFFFF_FFFF,
              offset + size <= end
        else { throw Failure.damaged }
        var entry = offset
        for _ in 0..<count {
            guard u32(entry) == 0x0201_4B50,
                  let method = u16(entry + 10), let crc = u32(entry + 16),
                  let compressed = u32(entry + 20), let uncompressed = u32(entry + 24),
                  let nameLength = u16(entry + 28), let extraLength = u16(entry + 30), let commentLength = u16(entry + 32),
                  let local = u32(entry + 42),
                  compressed != 0xFFFF_FFFF, uncompressed != 0xFFFF_FFFF, local != 0xFFFF_FFFF,
                  entry + 46 + nameLength + extraLength + commentLength <= offset + size,
                  !zip64(extraAt: entry + 46 + nameLength, length: extraLength)
            else { throw Failure.damaged }
            // The part's local header, and its data, before the directory.
            guard u32(local) == 0x0403_4B50, let localName = u16(local + 26), let localExtra = u16(local + 28),
                  !zip64(extraAt: local + 30 + localName, length: localExtra),
                  local + 30 + localName + localExtra + compressed <= offset
            else { throw Failure.damaged }
            let name = String(decoding: bytes[(entry + 46)..<(entry + 46 + nameLength)], as: UTF8.self)
            entries[name] = Entry(method: UInt16(method), crc: UInt32(crc), compressedSize: compressed,
                                  dataOffset: local + 30 + localName + localExtra)
            entry += 46 + nameLength + extraLength + commentLength
        }
    }

    /// The inflated bytes of `name` (nil when the package has no such part), adding what it
    /// inflates to `inflated` and failing with `tooLarge` as soon as that passes `limit`.
    func part(_ name: String, inflated: inout Int, limit: Int, tooLarge: any Error) throws -> Data? {
        guard let entry = entries[name] else { return nil }
        let input = bytes[entry.dataOffset..<(entry.dataOffset + entry.compressedSize)]
        var out = Data()
        switch entry.method {
        case 0:
            inflated += input.count
            guard inflated <= limit else { throw tooLarge }
            out = Data(input)
        case 8:
            try inflate(input, into: &out, inflated: &inflated, limit: limit, tooLarge: tooLarge)
        default:
            throw Failure.damaged
        }
        let crc = out.withUnsafeBytes { UInt32(crc32(0, $0.bindMemory(to: Bytef.self).baseAddress, uInt($0.count))) }
        guard crc == entry.crc else { throw Failure.damaged }
        return out
    }

    private func inflate(_ input: ArraySlice<UInt8>, into out: inout Data, inflated: inout Int, limit: Int, tooLarge: any Error) throws {
        var stream = z_stream()
        guard inflateInit2_(&stream, -MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else { throw Failure.damaged }
        defer { inflateEnd(&stream) }
        let chunk = 64 * 1024
        var buffer = [UInt8](repeating: 0, count: chunk)
        try input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = uInt(source.count)
            while true {
                let (status, produced) = buffer.withUnsafeMutableBufferPointer { target -> (Int32, Int) in
                    stream.next_out = target.baseAddress
                    stream.avail_out = uInt(chunk)
                    let status = CInflate.inflate(&stream, Z_NO_FLUSH)
                    return (status, chunk - Int(stream.avail_out))
                }
                inflated += produced
                guard inflated <= limit else { throw tooLarge }
                out.append(contentsOf: buffer[0..<produced])
                switch status {
                case Z_STREAM_END: return
                case Z_OK: continue
                // Needs input there is none of (truncated), or cannot go on: damaged, not a loop.
                default: throw Failure.damaged
                }
            }
        }
    }
}
