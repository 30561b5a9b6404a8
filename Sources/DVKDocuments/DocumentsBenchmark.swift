import Foundation

/// Times the renderers on the sample documents; the app exposes it as a CLI command.
public enum DocumentsBenchmark {
    /// Renders the Biểu tổng hợp as PDF, DOCX and XLSX `iterations` times each (after a
    /// warm-up) and the 500-initiative list as PDF a few times, and reports the median
    /// milliseconds per document.
    public static func run(iterations: Int = 50) -> String {
        let summary = OfficialDocuments.summary(DocumentSamples.summary)
        let list = OfficialDocuments.initiativeList(DocumentSamples.initiativeList(count: 500))
        var lines = ["Thời gian tạo văn bản (trung vị, mili giây/văn bản):"]
        let cases: [(String, Document, DocumentFormat, Int)] = [
            ("Biểu tổng hợp PDF", summary, .pdf, iterations),
            ("Biểu tổng hợp DOCX", summary, .docx, iterations),
            ("Biểu tổng hợp XLSX", summary, .xlsx, iterations),
            ("Danh sách 500 mô hình PDF", list, .pdf, max(3, iterations / 10)),
            ("Danh sách 500 mô hình DOCX", list, .docx, max(3, iterations / 10)),
            // The worst the text rule accepts: every field of the form at its length (4 × 20,000
            // characters and the short ones), each letter with two marks.
            ("Phiếu đăng ký, mọi trường tới giới hạn, 2 dấu mỗi chữ, PDF",
             OfficialDocuments.registrationForm(DocumentSamples.heaviestRegistrationForm), .pdf, max(3, iterations / 10)),
            ("Danh sách 500 mô hình, 2 dấu mỗi chữ, PDF", DocumentSamples.withHeaviestLetters(list), .pdf, max(3, iterations / 10)),
        ]
        for (name, document, format, count) in cases {
            do {
                var bytes = 0
                _ = try OfficialDocuments.render(document, as: format)  // warm-up: fonts, caches
                var times: [Double] = []
                for _ in 0..<max(1, count) {
                    let start = DispatchTime.now().uptimeNanoseconds
                    bytes = try OfficialDocuments.render(document, as: format).count
                    times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                }
                times.sort()
                let median = times[times.count / 2]
                lines.append(String(format: "%@: %.2f ms (%d lần, %d byte)", name, median, times.count, bytes))
            } catch {
                lines.append("\(name): lỗi – \(error)")
            }
        }
        return lines.joined(separator: "\n")
    }
}
