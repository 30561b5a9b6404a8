import Foundation

extension UUID {
    /// Whether `a` comes before `b` in the order of their text (`uuidString`,
    /// `canonicalText`), compared by their bytes: upper-case hex keeps the bytes' order and
    /// the dashes stand at the same places. The writers that take many rows sort them so
    /// (two writers never wait on each other's rows); Foundation's `uuidString` on Linux
    /// formats with `sprintf`, and sorting an import's 6,300 units by it was 160,000 calls.
    public static func inTextOrder(_ a: UUID, _ b: UUID) -> Bool {
        withUnsafeBytes(of: a.uuid) { x in
            withUnsafeBytes(of: b.uuid) { y in
                for i in 0..<16 where x[i] != y[i] { return x[i] < y[i] }
                return false
            }
        }
    }

    /// The 36 characters `uuidString` writes (upper-case hex), written here by bytes:
    /// Foundation's on Linux formats with `sprintf`, and every id a statement binds on SQLite
    /// is this text, as are the trail's seals and chain names (a twentieth of an import's time).
    public var canonicalText: String {
        let hex: StaticString = "0123456789ABCDEF"
        return withUnsafeBytes(of: uuid) { bytes in
            String(unsafeUninitializedCapacity: 36) { out in
                hex.withUTF8Buffer { digits in
                    var at = 0
                    for (i, byte) in bytes.enumerated() {
                        if i == 4 || i == 6 || i == 8 || i == 10 { out[at] = UInt8(ascii: "-"); at += 1 }
                        out[at] = digits[Int(byte >> 4)]
                        out[at + 1] = digits[Int(byte & 0x0F)]
                        at += 2
                    }
                    return at
                }
            }
        }
    }
}

/// A text as a dictionary key by its bytes. `String`'s own hashing and `==` work on the
/// canonical form, so a key with accented letters is normalised on every lookup (a
/// campaign's letter or sectors, hashed on every page: 1 % of the dashboard), and a text
/// spelled decomposed finds the entry of its composed twin. A cache of what was parsed
/// from a text keys it by its bytes.
public struct TextBytesKey: Hashable, Sendable {
    public let text: String

    public init(_ text: String) { self.text = text }

    public static func == (a: TextBytesKey, b: TextBytesKey) -> Bool {
        a.text.hasSameBytes(as: b.text)
    }

    public func hash(into hasher: inout Hasher) {
        var text = text
        text.withUTF8 { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}

extension UInt8 {
    /// The value of an ASCII hex digit (either case), or nil: UUIDs and JSON's `\u` escapes
    /// are read by bytes.
    @inlinable public var hexDigitValue: UInt8? {
        switch self {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): self - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): self - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): self - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension String {
    /// Whether the two texts are the same bytes: `==` holds two spellings of one accented
    /// letter (composed and decomposed) equal, and a text rewritten in the other must be
    /// read again by what keeps its parsed form.
    ///
    /// Compared in the strings' own storage with `memcmp` when both have it (a cached
    /// letter's text is compared with every page's: byte by byte through the views, that was
    /// a hundredth of a dashboard's time).
    public func hasSameBytes(as other: String) -> Bool {
        guard utf8.count == other.utf8.count else { return false }
        let compared = utf8.withContiguousStorageIfAvailable { a in
            other.utf8.withContiguousStorageIfAvailable { b in a.isEmpty || memcmp(a.baseAddress!, b.baseAddress!, a.count) == 0 }
        }
        if let compared, let compared { return compared }
        return utf8.elementsEqual(other.utf8)
    }
}
