import CQREncode
import Foundation

/// A QR code's modules, row by row (`true` is dark): made by libqrencode (Debian's
/// libqrencode), drawn by DVK's renderers (a PDF, an SVG on a page).
public struct QRMatrix: Hashable, Sendable {
    public let size: Int
    public let dark: [Bool]

    public subscript(row: Int, column: Int) -> Bool { dark[row * size + column] }

    /// The code of `text` (8-bit, error correction M), or nil when it does not fit one.
    public init?(_ text: String) {
        // The C object lives inside this call only.
        guard !text.isEmpty, text.utf8.count <= 1_000, let code = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        dark = (0..<(width * width)).map { (code.pointee.data[$0] & 1) == 1 }
    }

    /// The dark modules as one SVG path (a 1×1 square each), with a quiet zone of 4.
    public var svgPath: String {
        var out = ""
        for row in 0..<size {
            for column in 0..<size where self[row, column] { out += "M\(column + 4) \(row + 4)h1v1h-1z" }
        }
        return out
    }
}
