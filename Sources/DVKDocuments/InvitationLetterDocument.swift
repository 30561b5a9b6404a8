import DVKCore
import Foundation

/// One printed invitation (or password reset) for a person without email, handed out at a
/// meeting: whose account it is, the link written out and as a QR code, until when.
public struct InvitationLetterInput: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable { case invitation, reset }

    /// The federation that hands it out (its name heads the letter).
    public var issuer: String
    public var place: String
    public var date: CalendarDay
    public var purpose: Purpose
    public var personName: String
    public var username: String
    public var roleLabel: String
    public var unitName: String
    public var link: String
    public var validUntil: String

    public init(issuer: String, place: String, date: CalendarDay, purpose: Purpose, personName: String, username: String,
                roleLabel: String, unitName: String, link: String, validUntil: String) {
        self.issuer = issuer
        self.place = place
        self.date = date
        self.purpose = purpose
        self.personName = personName
        self.username = username
        self.roleLabel = roleLabel
        self.unitName = unitName
        self.link = link
        self.validUntil = validUntil
    }
}

extension OfficialDocuments {
    /// The letters, one a page: the issuer's name and the date line, a title, to whom, the
    /// account, what to do, the link in full and its QR code, the link's end.
    public static func invitationLetters(_ letters: [InvitationLetterInput]) -> Document {
        var blocks: [Block] = []
        for (index, l) in letters.enumerated() {
            let invite = l.purpose == .invitation
            var first = Paragraph(VietnameseText.clean(l.issuer).uppercased(), bold: true, alignment: .center, size: 13, ruleBelow: 60)
            first.pageBreakBefore = index > 0
            blocks.append(.paragraph(first))
            blocks.append(.paragraph(Paragraph(l.date.placeAndDate(VietnameseText.clean(l.place)), italic: true, alignment: .right,
                                               size: 13, spaceBefore: 6, spaceAfter: 12)))
            blocks.append(.paragraph(Paragraph(invite ? "THƯ MỜI SỬ DỤNG HỆ THỐNG DVK" : "ĐẶT LẠI MẬT KHẨU HỆ THỐNG DVK", bold: true,
                                               alignment: .center, size: 15, spaceAfter: 2)))
            blocks.append(.paragraph(Paragraph("(Đăng ký và theo dõi mô hình “Dân vận khéo”)", italic: true, alignment: .center, size: 13, spaceAfter: 12)))
            blocks.append(.paragraph(Paragraph([Run("Kính gửi: ", bold: true), Run(VietnameseText.clean(l.personName))], alignment: .left, spaceAfter: 6)))
            for (label, value) in [("Đơn vị", l.unitName), ("Vai trò", l.roleLabel), ("Tên đăng nhập", l.username)] {
                blocks.append(.paragraph(Paragraph([Run("- \(label): "), Run(VietnameseText.clean(value), bold: true)], alignment: .left, size: 13,
                                                   firstLineIndent: 18, spaceAfter: 2)))
            }
            let what = invite
                ? "Anh/chị được tạo tài khoản trên DVK. Để bắt đầu, mở địa chỉ dưới đây (gõ vào trình duyệt, hoặc quét mã QR bằng điện thoại), đặt mật khẩu của mình rồi đăng nhập."
                : "Tài khoản DVK của anh/chị được cấp liên kết đặt lại mật khẩu. Mở địa chỉ dưới đây (gõ vào trình duyệt, hoặc quét mã QR), đặt mật khẩu mới rồi đăng nhập."
            blocks.append(.paragraph(Paragraph(what, size: 13, firstLineIndent: 36, spaceBefore: 8, spaceAfter: 6)))
            // The link on one line whatever its letters: at 12 pt a link whose token is full of
            // wide letters (M, W) wrapped, and a wrapped link cannot be copied whole.
            let fits = PageSetup.a4Portrait.contentWidth * 0.95 / max(1, TextMetrics.width(l.link, size: 1, bold: true))
            var link = Paragraph([Run(l.link, bold: true)], alignment: .center, size: max(8, min(12, (fits * 2).rounded(.down) / 2)), spaceAfter: 4)
            if let code = QRMatrix(l.link) { link.qr = (code, 150) }
            blocks.append(.paragraph(link))
            blocks.append(.paragraph(Paragraph("Địa chỉ dùng được một lần, đến \(l.validUntil). Không đưa thư này cho người khác.",
                                               italic: true, alignment: .center, size: 12, spaceBefore: 4, spaceAfter: 10)))
            blocks.append(.paragraph(Paragraph("Mật khẩu cần ít nhất \(PasswordPolicy.minimum) ký tự; nên dùng một câu dễ nhớ. Cần hỗ trợ, vui lòng liên hệ \(VietnameseText.clean(l.issuer)).",
                                               size: 12, firstLineIndent: 36)))
        }
        return Document(kind: .invitationLetter, title: "Thư mời sử dụng DVK", date: letters.first?.date ?? CalendarDay(year: 2024, month: 1, day: 1),
                        blocks: blocks, pageNumbers: false)
    }
}
