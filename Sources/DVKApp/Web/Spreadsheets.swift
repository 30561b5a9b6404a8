import DVKDocuments
import Foundation
import Vapor

/// Answers a download of a spreadsheet the app wrote (an .xlsx unless told otherwise).
enum Spreadsheets {
    static func download(_ data: Data, name: String, type: String = DocumentFormat.xlsx.contentType) -> Response {
        let response = Response(status: .ok, body: .init(data: data))
        response.headers.replaceOrAdd(name: .contentType, value: type)
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(CampaignDocuments.safeFileName(name))\"")
        response.headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return response
    }
}
