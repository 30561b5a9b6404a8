import DVKCore
import DVKDocuments
import Foundation
import Vapor

/// The one way DVK answers with a file: its type, a file name cut to safe ASCII (no quote,
/// no line break, nothing a header could be split with), and no caching by the way.
enum Download {
    static func response(_ data: Data, name: String, type: String = DocumentFormat.xlsx.contentType, inline: Bool = false,
                         cache: String = "private, no-store") -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: type)
        response.headers.replaceOrAdd(name: .contentDisposition,
                                      value: "\(inline ? "inline" : "attachment"); filename=\"\(safeName(name))\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: cache)
        return response
    }

    /// A list's file name says what it holds, of which campaign and unit, and when:
    /// "DVK-2024_don-vi-chua-nop_LB_20261202-1405.xlsx" (Vietnam time; names sort by moment).
    static func listName(_ what: String, campaign: String, scope: String, at moment: Date, format: String) -> String {
        let f = VietnamTime.fields(moment)
        let stamp = String(format: "%04d%02d%02d-%02d%02d", f.year, f.month, f.day, f.hour, f.minute)
        return safeName([campaign, VietnameseText.slug(what), scope, stamp].joined(separator: "_") + "." + format)
    }

    /// Letters and digits of ASCII, dot, dash and underscore: the rest is dropped.
    static func safeName(_ name: String) -> String {
        String(name.unicodeScalars.filter { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "._-".unicodeScalars.contains($0)) })
    }
}

extension DocumentFormat {
    /// What a link to the file in this format says.
    var label: String {
        switch self {
        case .docx: "Word"
        case .pdf: "PDF"
        case .xlsx: "Excel"
        }
    }
}
