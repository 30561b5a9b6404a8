import DVKDocuments
import Foundation
import Vapor

/// Answers a download of an .xlsx the app wrote.
enum Spreadsheets {
    static func download(_ data: Data, name: String) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: DocumentFormat.xlsx.contentType)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(CampaignDocuments.safeFileName(name))\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
