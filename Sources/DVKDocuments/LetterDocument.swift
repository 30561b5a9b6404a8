import DVKCore
import Foundation

/// What the campaign's guidance letter (công văn) needs; all of it is the campaign's data.
public struct LetterInput: Hashable, Sendable {
    /// Superior / issuer / "26/LĐLĐ" / place and date of the letter.
    public var header: DocumentHeader
    /// The trích yếu, printed under "Số:": "V/v triển khai phong trào thi đua “Dân vận khéo” năm 2024"
    /// ("V/v " is added when missing).
    public var subject: String
    /// "Kính gửi": one recipient on the line, several as a "- …;" list ending ".".
    public var recipients: [String]
    /// The body in the `LetterBody` format (the campaign's stored text).
    public var body: String
    public var signer: Signer
    /// Nơi nhận lines, e.g. "Ban Dân vận Quận ủy;", "Lưu: VT, TG.".
    public var distribution: [String]

    public init(header: DocumentHeader, subject: String, recipients: [String], body: String, signer: Signer,
                distribution: [String]) {
        self.header = header
        self.subject = subject
        self.recipients = recipients
        self.body = body
        self.signer = signer
        self.distribution = distribution
    }
}

extension OfficialDocuments {
    /// The campaign's letter: header bands with "Số:" and the V/v, "Kính gửi", the stored
    /// body, the signature block and Nơi nhận.
    public static func letter(_ input: LetterInput) -> Document {
        let page = PageSetup.a4Portrait
        let subject = VietnameseText.clean(input.subject)
        let vv = subject.isEmpty || subject.hasPrefix("V/v") ? subject : "V/v " + subject
        var blocks: [Block] = [Layout.headerBands(input.header, subject: vv, page: page)]
        blocks += Layout.recipients(input.recipients)
        blocks += LetterBody.parse(input.body).map(Block.paragraph)
        blocks.append(Layout.signature(input.signer, distribution: input.distribution))
        return Document(kind: .letter, title: vv.isEmpty ? "Công văn" : vv, date: input.header.date, page: page, blocks: blocks)
    }

    /// A sample letter body in the `LetterBody` format, in the style of the 2024 letter
    /// (numbered points 1–3 and the four sector bullets); the demo campaign uses it.
    public static let sampleLetterBody = """
    Thực hiện chỉ đạo của cấp trên về phong trào thi đua “Dân vận khéo” năm 2024, Ban Thường vụ Liên đoàn Lao động Quận đề nghị Ban Chấp hành các công đoàn cơ sở quan tâm thực hiện một số nội dung sau:

    1. Tuyên truyền để đoàn viên, người lao động hiểu rõ ý nghĩa của công tác dân vận và phong trào thi đua “Dân vận khéo”; gắn phong trào với nhiệm vụ chuyên môn và chủ đề công tác năm của đơn vị.

    2. Duy trì và nhân rộng các mô hình “Dân vận khéo” đã được công nhận; chia sẻ cách làm hay, hiệu quả để các đơn vị cùng học tập.

    3. Đăng ký mô hình “Dân vận khéo” theo 04 lĩnh vực; mỗi mô hình nêu rõ mục đích, cách làm, phạm vi và kết quả dự kiến. Đề nghị lưu ý:

    - *Lĩnh vực kinh tế*: mô hình sáng kiến, cải tiến kỹ thuật, nâng cao năng suất lao động và chất lượng sản phẩm.

    - *Lĩnh vực văn hóa – xã hội*: mô hình chăm lo đời sống đoàn viên, xây dựng môi trường văn hóa, bảo vệ môi trường.

    - *Lĩnh vực an ninh – quốc phòng*: mô hình phòng cháy, chữa cháy, giữ gìn an ninh trật tự nơi làm việc và nơi cư trú.

    - *Lĩnh vực xây dựng hệ thống chính trị*: mô hình tăng cường kỷ cương, trách nhiệm, cải cách hành chính, chuyển đổi số.

    Các công đoàn cơ sở đăng ký trên hệ thống trước ngày **16/02/2024** để Liên đoàn Lao động Quận tổng hợp, báo cáo cấp trên./.
    """
}
