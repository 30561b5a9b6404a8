import Foundation
import ZIPFoundation

/// Hand-written XML needs escaping of every text and attribute value; XML 1.0 also
/// forbids most control characters and U+FFFE/U+FFFF, which users can paste, so those are
/// dropped. Whatever the text, the result is well-formed character data.
public enum XML {
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            case "\t", "\n", "\r": out.unicodeScalars.append(scalar)
            default:
                if scalar.value < 0x20 || scalar.value == 0xFFFE || scalar.value == 0xFFFF { continue }
                out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let declaration = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
}

/// Builds a ZIP package (DOCX, XLSX) in memory with fixed entry dates, so the same parts
/// give the same bytes.
enum Package {
    static func zip(_ parts: [(path: String, xml: String)], date: Date) throws -> Data {
        do {
            let archive = try Archive(accessMode: .create)
            for part in parts {
                let data = Data(part.xml.utf8)
                try archive.addEntry(with: part.path, type: .file, uncompressedSize: Int64(data.count),
                                     modificationDate: date, permissions: 0o644, compressionMethod: .deflate,
                                     provider: { position, size in
                                         let start = Int(position)
                                         return data.subdata(in: start..<min(start + size, data.count))
                                     })
            }
            guard let bytes = archive.data else { throw DocumentError.renderFailed("không đọc được gói ZIP vừa tạo") }
            return bytes
        } catch let error as DocumentError {
            throw error
        } catch {
            throw DocumentError.renderFailed("lỗi đóng gói ZIP (\(error))")
        }
    }
}
