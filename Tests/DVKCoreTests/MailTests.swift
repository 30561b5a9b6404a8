import DVKCore
import Foundation
import Testing
import TestPrograms

@Suite struct MailMessageTests {
    static let from = Mailbox(name: "Liên đoàn Lao động quận Long Biên", address: "dvk@ldld.vn")!

    func message(subject: String = "Nhắc nộp hồ sơ: Phong trào thi đua “Dân vận khéo” năm 2024 của các công đoàn cơ sở",
                 name: String = "Trường Tiểu học Ngọc Lâm", attachments: [MailAttachment] = []) -> String {
        let m = MailMessage(from: Self.from, to: [Mailbox(name: name, address: "s1@example.vn")!],
                            replyTo: Mailbox(name: "LĐLĐ", address: "lb@example.vn"), subject: subject,
                            text: "Dòng một\nDòng hai có “ngoặc” và ký tự ệ", html: "<p>Xin chào</p>", attachments: attachments,
                            date: VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 13), hour: 8),
                            messageID: "<abc@ldld.vn>")
        return String(decoding: m.rendered(), as: UTF8.self)
    }

    /// Decodes the `=?UTF-8?B?…?=` words of a header value, as RFC 2047 reads them (the
    /// space between two encoded words is not part of the text).
    func decodeWords(_ value: String) -> String {
        let unfolded = value.replacingOccurrences(of: "\r\n ", with: " ")
        var out = ""
        var rest = Substring(unfolded)
        while let start = rest.range(of: "=?UTF-8?B?") {
            let before = rest[..<start.lowerBound]
            if !before.allSatisfy({ $0 == " " }) || out.isEmpty { out += before }
            rest = rest[start.upperBound...]
            guard let end = rest.range(of: "?=") else { break }
            out += String(decoding: Data(base64Encoded: String(rest[..<end.lowerBound])) ?? Data(), as: UTF8.self)
            rest = rest[end.upperBound...]
        }
        return out + rest
    }

    func header(_ name: String, in raw: String) -> String? {
        let head = raw.components(separatedBy: "\r\n\r\n")[0]
        var lines: [String] = []
        for line in head.components(separatedBy: "\r\n") {
            if line.hasPrefix(" "), !lines.isEmpty { lines[lines.count - 1] += "\r\n" + line } else { lines.append(line) }
        }
        return lines.first { $0.hasPrefix(name + ": ") }.map { String($0.dropFirst(name.count + 2)) }
    }

    @Test func subjectAndNamesAreEncodedWordsThatDecodeToTheText() {
        let raw = message()
        let subject = try! #require(header("Subject", in: raw))
        #expect(subject.hasPrefix("=?UTF-8?B?"))
        #expect(decodeWords(subject) == "Nhắc nộp hồ sơ: Phong trào thi đua “Dân vận khéo” năm 2024 của các công đoàn cơ sở")
        let from = try! #require(header("From", in: raw))
        #expect(decodeWords(from) == "Liên đoàn Lao động quận Long Biên <dvk@ldld.vn>")
        #expect(header("Date", in: raw) == "Tue, 13 Feb 2024 08:00:00 +0700")
        #expect(header("Message-ID", in: raw) == "<abc@ldld.vn>")
        #expect(header("Reply-To", in: raw) == "\"LĐLĐ\" <lb@example.vn>" || decodeWords(header("Reply-To", in: raw) ?? "") == "LĐLĐ <lb@example.vn>")
    }

    @Test func everyLineIsCRLFAndShort() {
        let raw = message(attachments: [MailAttachment(fileName: "bieu-tong-hop.pdf", contentType: "application/pdf",
                                                       data: Data((0..<5000).map { UInt8($0 % 256) }))])
        #expect(!raw.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        #expect(!raw.replacingOccurrences(of: "\r\n", with: "").contains("\r"))
        let longest = raw.components(separatedBy: "\r\n").map(\.utf8.count).max() ?? 0
        #expect(longest <= 78)
        #expect(raw.contains("Content-Type: multipart/mixed;"))
        #expect(raw.contains("Content-Type: multipart/alternative;"))
        #expect(raw.contains("Content-Disposition: attachment; filename=\"bieu-tong-hop.pdf\""))
    }

    @Test func theAttachmentAndTheTextComeBackByteForByte() throws {
        let bytes = Data((0..<3000).map { UInt8(($0 * 7) % 256) })
        let raw = message(attachments: [MailAttachment(fileName: "a.docx", contentType: "application/octet-stream", data: bytes)])
        let part = try #require(raw.components(separatedBy: "filename=\"a.docx\"\r\n\r\n").last)
        let base64 = part.components(separatedBy: "\r\n--")[0].replacingOccurrences(of: "\r\n", with: "")
        #expect(Data(base64Encoded: base64) == bytes)
        let text = try #require(raw.components(separatedBy: "Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: base64\r\n\r\n").last)
        let decoded = Data(base64Encoded: text.components(separatedBy: "\r\n--")[0].replacingOccurrences(of: "\r\n", with: ""))
        #expect(decoded.map { String(decoding: $0, as: UTF8.self) } == "Dòng một\r\nDòng hai có “ngoặc” và ký tự ệ")
    }

    @Test func aLineBreakInASubjectOrNameCannotAddAHeader() {
        let raw = message(subject: "Xin chào\r\nBcc: attacker@evil.example", name: "Trường\nBcc: x@evil.example")
        let head = raw.components(separatedBy: "\r\n\r\n")[0]
        #expect(!head.components(separatedBy: "\r\n").contains { $0.hasPrefix("Bcc:") })
        #expect(decodeWords(header("Subject", in: raw) ?? "") == "Xin chào  Bcc: attacker@evil.example" ||
                header("Subject", in: raw) == "Xin chào  Bcc: attacker@evil.example")
    }

    @Test func longNamesSplitBetweenWordsNotInsideACharacter() {
        let name = String(repeating: "Công đoàn cơ sở Trường Trung học phổ thông Nguyễn Gia Thiều ", count: 3).trimmingCharacters(in: .whitespaces)
        let raw = message(name: name)
        let to = header("To", in: raw) ?? ""
        #expect(decodeWords(to) == "\(name) <s1@example.vn>")
        for word in to.components(separatedBy: "=?UTF-8?B?").dropFirst() {
            let payload = word.components(separatedBy: "?=")[0]
            #expect(Data(base64Encoded: payload).flatMap { String(data: $0, encoding: .utf8) } != nil, "a word cut inside a character")
        }
    }

    @Test func mailboxesParseAsPeopleWriteThem() {
        #expect(Mailbox(parsing: "\"Liên đoàn\" <a@b.vn>") == Mailbox(name: "Liên đoàn", address: "a@b.vn"))
        #expect(Mailbox(parsing: "Liên đoàn <a@b.vn>")?.name == "Liên đoàn")
        #expect(Mailbox(parsing: "a@b.vn")?.address == "a@b.vn")
        #expect(Mailbox(parsing: "Tên <không phải địa chỉ>") == nil)
        #expect(Mailbox(parsing: "a@b.vn>\r\nBcc: x@y.vn") == nil)
        #expect(Mailbox(address: "") == nil)
    }
}

@Suite struct ReminderScheduleTests {
    /// "Trước 00 giờ 00 ngày 16/02/2024": the last day to hand in is 15/02.
    let deadline = VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 16))

    func at(_ day: Int, _ hour: Int, _ minute: Int = 0) -> Date {
        VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: day), hour: hour, minute: minute)
    }

    @Test func theDefaultSendsAWeekThreeDaysAndADayBeforeTheLastDayAndTheDayAfter() {
        let times = ReminderSchedule.standard.times(deadline: deadline).map(\.at)
        #expect(times == [at(8, 8), at(12, 8), at(14, 8), at(16, 8)])
        #expect(ReminderSchedule.lastDay(deadline) == CalendarDay(year: 2024, month: 2, day: 15))
    }

    @Test func aRunIsDueFromItsTimeUntilTheEndOfItsDayOnly() {
        let s = ReminderSchedule.standard
        #expect(s.due(deadline: deadline, now: at(12, 7, 59)) == nil)
        #expect(s.due(deadline: deadline, now: at(12, 8))?.days == 3)
        #expect(s.due(deadline: deadline, now: at(12, 23, 59))?.days == 3)
        #expect(s.due(deadline: deadline, now: at(13, 9)) == nil)
        #expect(s.due(deadline: deadline, now: at(16, 8, 30))?.days == -1)
        #expect(s.due(deadline: deadline, now: at(17, 8, 30)) == nil)
    }

    @Test func aDeadlineDuringTheDayMakesThatDayTheLast() {
        let afternoon = VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 15), hour: 17)
        #expect(ReminderSchedule.lastDay(afternoon) == CalendarDay(year: 2024, month: 2, day: 15))
        let schedule = ReminderSchedule(days: [0], hour: 8, minute: 0)
        #expect(schedule.times(deadline: afternoon).map(\.at) == [at(15, 8)])
    }

    @Test func staffTypeTheScheduleAndGetAPlainRefusal() throws {
        let s = try ReminderSchedule.parse(days: "1, 7 ;3 -1", time: "07:30").get()
        #expect(s.days == [7, 3, 1, -1] && s.hour == 7 && s.minute == 30)
        #expect(s.daysText == "7, 3, 1, -1" && s.timeText == "07:30")
        #expect(s.sentence == "Lúc 07:30, 7, 3 và 1 ngày trước hạn; 1 ngày sau hạn")
        #expect(try ReminderSchedule.parse(days: "", time: "08:00").get().sentence == "Không gửi thư nhắc tự động")
        guard case .failure(let bad) = ReminderSchedule.parse(days: "7, ba", time: "08:00") else { Issue.record("accepted"); return }
        #expect(bad.message.contains("“ba”"))
        guard case .failure(let time) = ReminderSchedule.parse(days: "7", time: "8h") else { Issue.record("accepted"); return }
        #expect(time.message.contains("Giờ gửi"))
        if case .success = ReminderSchedule.parse(days: "500", time: "08:00") { Issue.record("500 days accepted") }
    }

    /// The time is trimmed exactly as Foundation's `.whitespaces` trims it (spaces of every
    /// kind and tabs, not line breaks), and its text is two digits each side.
    @Test func theReminderTimeIsTrimmedAsFoundationTrims() {
        let blanks = [" ", "\t", "\u{A0}", "\u{3000}", "\u{2009}", "\u{1680}", "\u{205F}", "\u{180E}", "\u{FEFF}", "\u{85}", "\n", "\r\n", "\u{200B}", "x", ""]
        for before in blanks {
            for after in blanks {
                for core in ["08:00", "7:05", "23:59", "24:00", "08 :00"] {
                    let text = before + core + after
                    let trimmed = text.trimmingCharacters(in: .whitespaces)
                    let parts = trimmed.split(separator: ":")
                    let expected = parts.count == 2 && parts[1].count == 2 && Int(parts[0]).map { (0...23).contains($0) } == true
                        && Int(parts[1]) != nil
                    let parsed = try? ReminderSchedule.parse(days: "7", time: text).get()
                    #expect((parsed != nil) == expected, "\(text.debugDescription)")
                    if let parsed { #expect(parsed.timeText == String(format: "%02d:%02d", Int(parts[0])!, Int(parts[1])!)) }
                }
            }
        }
    }

    @Test func theDeadlineReadsAsALetterWritesIt() {
        #expect(DeadlineText.letterLine(deadline) == "trước 00 giờ 00 ngày 16 tháng 02 năm 2024")
        #expect(VietnamTime.describe(at(13, 9, 12)) == "09:12 ngày 13/02/2024")
    }
}

/// Attachment names as Python's email parser reads them (RFC 2231): the reference reader.
@Suite struct AttachmentNameTests {
    @Test(arguments: ["bieu-tong-hop.pdf", "Biểu tổng hợp.pdf",
                      "Biểu tổng hợp – Công đoàn Trường Tiểu học Ngọc Lâm – Phong trào thi đua năm 2024.docx",
                      String(repeating: "a", count: 130) + ".xlsx", "tên có \"ngoặc\" và \\ .pdf"])
    func pythonReadsTheNameBack(name: String) throws {
        let m = MailMessage(from: MailMessageTests.from, to: [Mailbox(address: "s1@example.vn")!], subject: "Biểu", text: "x",
                            attachments: [MailAttachment(fileName: name, contentType: "application/pdf", data: Data("%PDF-1.4".utf8))],
                            date: Date(timeIntervalSince1970: 1_700_000_000), messageID: "<a@b.vn>")
        let raw = m.rendered()
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("dvk-mail-\(UUID().uuidString).eml")
        try raw.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let python = try Program.run(tool: "python3", ["-c", """
            import email, email.policy, sys
            m = email.message_from_binary_file(open(sys.argv[1], 'rb'), policy=email.policy.default)
            p = next(m.iter_attachments())
            sys.stdout.write(p.get_filename() + '\\n' + p.get_param('name', header='content-type', unquote=True).__str__())
            """, file.path])
        #expect(python.succeeded, "python3 reading \(file.path) \(python.ending): \(python.errors)")
        let out = python.output
        #expect(out.components(separatedBy: "\n").first == name)
        let long = String(decoding: raw, as: UTF8.self).components(separatedBy: "\r\n").filter { $0.utf8.count > 78 }
        #expect(long.isEmpty, "\(long)")
    }
}
