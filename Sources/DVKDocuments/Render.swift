import Foundation

extension OfficialDocuments {
    /// Renders a document to bytes. Deterministic: the same document gives the same bytes
    /// (no clock is read; file dates come from `Document.date`).
    ///
    /// - Throws: `DocumentError.notTabular` for `.xlsx` of a non-tabular document,
    ///   `DocumentError.fontMissing` for `.pdf` when Liberation Serif is not installed,
    ///   `DocumentError.renderFailed` if Cairo or the ZIP writer fails.
    public static func render(_ document: Document, as format: DocumentFormat) throws -> Data {
        switch format {
        case .docx: return try DOCXWriter.write(document)
        case .pdf: return try PDFRenderer.render(document)
        case .xlsx:
            guard document.kind.isTabular else { throw DocumentError.notTabular(document.kind) }
            return try XLSXWriter.write(document)
        }
    }
}

extension Document {
    /// Same as `OfficialDocuments.render(self, as: format)`.
    public func rendered(as format: DocumentFormat) throws -> Data {
        try OfficialDocuments.render(self, as: format)
    }
}

/// The builders of the campaign's official documents and the one `render` entry point.
public enum OfficialDocuments {}

/// Plot also declares `Document` and `DocumentFormat`; files that import both can use
/// these names instead of qualifying with `DVKDocuments.`.
public typealias OfficialDocument = Document
/// See `OfficialDocument`.
public typealias OfficialDocumentFormat = DocumentFormat
