import DVKCore
import FluentKit
import Foundation

extension CampaignForm {
    /// Every field of the campaign form as text: what the form shows, and what it sends back
    /// (kept as typed, so a refused form comes back with the user's input).
    struct Values: Sendable, Equatable {
        var code = ""
        var issuer = ""
        var year = ""
        var title = ""
        var number = ""
        var issuedOn = ""
        var place = ""
        var subject = ""
        var addressees = ""
        var recipients = ""
        var body = ""
        var basis = ""
        /// The sectors as rows (name, kept code, order), as the form shows them; a script
        /// may still send the older `sectors` field of "code | name" lines.
        var sectorRows: [Sector.Row] = []
        var deadlineDate = ""
        var deadlineTime = "00:00"
        var acceptsLate = true
        var reminderDays = ReminderSchedule.standard.daysText
        var reminderTime = ReminderSchedule.standard.timeText
        var criteria = ModelYear.defaultCriteria.joined(separator: "\n")
        var signerAuthority = ""
        var signerTitle = ""
        var signerName = ""
        /// "all" (every grassroots unit under the issuer) or "chosen".
        var targetsMode = "all"
        var targetCodes = ""
        /// For a new campaign: "draft" or "open".
        var initialState = CampaignState.draft.rawValue

        init() {}

        init(form: [String: String]) {
            func text(_ key: String) -> String { (form[key] ?? "").replacingOccurrences(of: "\r\n", with: "\n") }
            code = text("code")
            issuer = text("issuer")
            year = text("year")
            title = text("title")
            number = text("number")
            issuedOn = text("issued_on")
            place = text("place")
            subject = text("subject")
            addressees = text("addressees")
            recipients = text("recipients")
            body = text("body")
            basis = text("basis")
            // The rows in their numbers' order (whatever gaps a client left).
            let indices = form.keys.compactMap { $0.hasPrefix("sector_name_") ? Int($0.dropFirst("sector_name_".count)) : nil }.sorted()
            sectorRows = indices.prefix(200).map { i in
                Sector.Row(code: text("sector_code_\(i)"), name: text("sector_name_\(i)"), order: text("sector_order_\(i)"))
            }
            // A script's older form: "code | name" lines (a line without a code is a new sector).
            if indices.isEmpty, form["sectors"] != nil {
                sectorRows = text("sectors").split(separator: "\n").map { line in
                    let parts = line.split(separator: "|", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                    return parts.count == 2 ? Sector.Row(code: parts[0], name: parts[1]) : Sector.Row(name: String(line))
                }
            }
            deadlineDate = text("deadline_date")
            deadlineTime = text("deadline_time")
            acceptsLate = form["accepts_late"] != nil
            // Left out (an older form, a script): the default schedule; an empty time is 08:00.
            reminderDays = form["reminder_days"] == nil ? ReminderSchedule.standard.daysText : text("reminder_days")
            reminderTime = text("reminder_time").isEmpty ? ReminderSchedule.standard.timeText : text("reminder_time")
            criteria = form["criteria"] == nil ? ModelYear.defaultCriteria.joined(separator: "\n") : text("criteria")
            signerAuthority = text("signer_authority")
            signerTitle = text("signer_title")
            signerName = text("signer_name")
            targetsMode = form["targets_mode"] == "chosen" ? "chosen" : "all"
            targetCodes = text("target_codes")
            initialState = form["state"] == CampaignState.open.rawValue ? CampaignState.open.rawValue : CampaignState.draft.rawValue
        }

        /// A new campaign's starting point: this year, the letter's usual wording, the four sectors.
        static func defaults(issuer: String, now: Date) -> Values {
            let input = CampaignInput(code: "", issuerCode: issuer, year: VietnamTime.day(of: now).year, deadline: now)
            var values = Values()
            values.issuer = issuer
            values.year = String(input.year)
            values.title = "Phong trào thi đua “Dân vận khéo” năm \(input.year)"
            values.issuedOn = VietnamTime.day(of: now).vietnamese
            values.subject = "V/v triển khai phong trào thi đua “Dân vận khéo” năm \(input.year)"
            values.addressees = input.addressees.joined(separator: "\n")
            values.recipients = input.recipients.joined(separator: "\n")
            values.sectorRows = rows(input.sectors)
            values.acceptsLate = input.acceptsLate
            values.signerAuthority = input.signer.authority
            values.signerTitle = input.signer.title
            return values
        }

        init(campaign: CampaignInfo, issuerCode: String, allTargets: Bool, targetCodes: [String]) {
            code = campaign.code
            issuer = issuerCode
            year = String(campaign.year)
            title = campaign.title
            number = campaign.number
            issuedOn = campaign.issuedOn.vietnamese
            place = campaign.place
            subject = campaign.subject
            addressees = campaign.addressees.joined(separator: "\n")
            recipients = campaign.recipients.joined(separator: "\n")
            body = campaign.body
            basis = campaign.basis
            sectorRows = Self.rows(campaign.sectors)
            let day = VietnamTime.day(of: campaign.deadline)
            deadlineDate = day.vietnamese
            let parts = VietnamTime.calendar.dateComponents([.hour, .minute], from: campaign.deadline)
            deadlineTime = String(format: "%02d:%02d", parts.hour ?? 0, parts.minute ?? 0)
            acceptsLate = campaign.acceptsLate
            reminderDays = campaign.reminders.daysText
            reminderTime = campaign.reminders.timeText
            criteria = campaign.criteria.joined(separator: "\n")
            signerAuthority = campaign.signer.authority
            signerTitle = campaign.signer.title
            signerName = campaign.signer.name
            targetsMode = allTargets ? "all" : "chosen"
            self.targetCodes = targetCodes.joined(separator: "\n")
            initialState = campaign.state.rawValue
        }

        /// Last year's campaign as the start of this year's: its letter, signer, sectors,
        /// criteria, schedule and participants, the year advanced in the title, subject, body
        /// and deadline; a new code and number, and today as the letter's day.
        static func copied(from campaign: CampaignInfo, issuerCode: String, allTargets: Bool, targetCodes: [String], now: Date) -> Values {
            var values = Values(campaign: campaign, issuerCode: issuerCode, allTargets: allTargets, targetCodes: targetCodes)
            let old = String(campaign.year), new = String(campaign.year + 1)
            func advance(_ text: String) -> String { text.replacingOccurrences(of: "năm " + old, with: "năm " + new) }
            values.code = ""
            values.number = ""
            values.year = new
            values.title = advance(campaign.title)
            values.subject = advance(campaign.subject)
            values.body = advance(campaign.body)
            values.issuedOn = VietnamTime.day(of: now).vietnamese
            let day = VietnamTime.day(of: campaign.deadline)
            // The same day a year on (29/02 becomes 28/02).
            var next = day.day
            while next > 28, CalendarDay(parsing: String(format: "%04d-%02d-%02d", day.year + 1, day.month, next)) == nil { next -= 1 }
            values.deadlineDate = CalendarDay(year: day.year + 1, month: day.month, day: next).vietnamese
            values.initialState = CampaignState.draft.rawValue
            return values
        }

        static func rows(_ sectors: [Sector]) -> [Sector.Row] {
            sectors.enumerated().map { Sector.Row(code: $1.code, name: $1.name, order: String($0 + 1)) }
        }

        /// The deadline the date and time fields name, in Vietnam time, if they are valid.
        var deadline: Date? {
            guard let day = CalendarDay(parsing: deadlineDate), let time = Self.time(deadlineTime) else { return nil }
            return VietnamTime.instant(day, hour: time.hour, minute: time.minute)
        }

        /// "17:00" or "17:00:00" (what time inputs send); empty means 00:00.
        static func time(_ text: String) -> (hour: Int, minute: Int)? {
            let t = text.trimmingCharacters(in: .whitespaces)
            if t.isEmpty { return (0, 0) }
            let parts = t.split(separator: ":", omittingEmptySubsequences: false)
            guard (2...3).contains(parts.count),
                  parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy { $0.isASCII && $0.isNumber } }),
                  let h = Int(parts[0]), let m = Int(parts[1]), h < 24, m < 60 else { return nil }
            return (h, m)
        }

        var targetCodeList: [String] {
            var seen: Set<String> = []
            return targetCodes.split(whereSeparator: { $0.isWhitespace || $0 == "," || $0 == ";" })
                .map(String.init).filter { seen.insert($0).inserted }
        }
    }

    /// A "one per line" field (addressees, recipients) as its lines, tidied, blanks left out.
    static func lines(_ text: String) -> [String] {
        text.split(separator: "\n").map { VietnameseText.clean(String($0)) }.filter { !$0.isEmpty }
    }

    /// Turns the form into a campaign input, or throws `FieldErrors` with a Vietnamese
    /// message for every field that is wrong. `issuer` is the issuing unit: for a new
    /// campaign, one of `issuers` (the user's choice); for an edit, the campaign's own.
    static func validate(_ values: Values, isNew: Bool, issuers: [IssuerChoice], editing: CampaignInfo?,
                         on db: any Database) async throws -> CampaignInput {
        var errors = FieldErrors()
        /// A text field checked by its rule; a refusal goes under the field.
        func checked(_ key: String, _ rule: TextRule, _ raw: String) -> String {
            switch rule.check(raw) {
            case .success(let value): return value
            case .failure(let problem):
                errors[key] = problem.sentence
                return ""
            }
        }

        var code = editing?.code ?? ""
        if isNew {
            if values.code.trimmingCharacters(in: .whitespaces).isEmpty {
                errors["code"] = "Cần nhập mã đợt thi đua (ví dụ DVK-2025)."
            } else if let valid = Code.validate(values.code) {
                code = valid
                if try await Campaign.query(on: db).filter(\.$code == valid).count() > 0 {
                    errors["code"] = "Đã có đợt thi đua mã “\(valid)”; chọn mã khác."
                }
            } else {
                errors["code"] = "Mã đợt chỉ gồm chữ không dấu, số và - _ . (tối đa 64 ký tự)."
            }
        }
        var issuerID = editing?.issuerID
        var issuerCode = values.issuer
        if isNew {
            if let choice = issuers.first(where: { $0.code == values.issuer }) {
                issuerID = choice.id
                issuerCode = choice.code
            } else {
                errors["issuer"] = "Chọn đơn vị phát động trong danh sách (đơn vị của tài khoản hoặc một công đoàn cấp trên trực thuộc)."
            }
        }
        let year = Int(values.year.trimmingCharacters(in: .whitespaces))
        if year == nil || !(2000...2100).contains(year ?? 0) { errors["year"] = "Năm phải là số từ 2000 đến 2100." }
        let title = checked("title", TextRules.campaignTitle, values.title)
        var issuedOn: CalendarDay?
        if !values.issuedOn.trimmingCharacters(in: .whitespaces).isEmpty {
            issuedOn = CalendarDay(parsing: values.issuedOn)
            if issuedOn == nil { errors["issued_on"] = "Ngày ban hành không hợp lệ (ví dụ 06/02/2024)." }
        }
        let subject = checked("subject", TextRules.subject, values.subject)
        let number = checked("number", TextRules.letterNumber, values.number)
        let place = checked("place", TextRules.place, values.place)
        let addressees = checked("addressees", TextRules.addressees, values.addressees)
        let recipients = checked("recipients", TextRules.recipients, values.recipients)
        let body = checked("body", TextRules.letterBody, values.body)
        let basis = checked("basis", TextRules.letterBasis, values.basis)
        let signerAuthority = checked("signer_authority", TextRules.signerAuthority, values.signerAuthority)
        let signerName = checked("signer_name", TextRules.signerName, values.signerName)

        let (sectors, sectorProblems) = Sector.from(rows: values.sectorRows)
        if !sectorProblems.isEmpty { errors["sectors"] = "Lĩnh vực chưa hợp lệ — " + sectorProblems.joined(separator: "; ") + "." }

        var deadline: Date?
        if values.deadlineDate.trimmingCharacters(in: .whitespaces).isEmpty {
            errors["deadline_date"] = "Cần nhập ngày hết hạn nộp."
        } else if CalendarDay(parsing: values.deadlineDate) == nil {
            errors["deadline_date"] = "Ngày hết hạn không hợp lệ (ví dụ 16/02/2024)."
        } else if Values.time(values.deadlineTime) == nil {
            errors["deadline_time"] = "Giờ không hợp lệ (ví dụ 17:00; để trống là 00:00)."
        } else {
            deadline = values.deadline
            if let deadline, let issuedOn, let problem = CampaignDates.problem(deadline: deadline, issuedOn: issuedOn) {
                errors["deadline_date"] = problem
            }
        }
        let signerTitle = checked("signer_title", TextRules.signerTitle, values.signerTitle)
        let criteria = checked("criteria", TextRules.criteria, values.criteria)
        var reminders = ReminderSchedule.standard
        switch ReminderSchedule.parse(days: values.reminderDays, time: values.reminderTime) {
        case .success(let schedule): reminders = schedule
        case .failure(let error):
            errors[error.message.hasPrefix("Giờ") ? "reminder_time" : "reminder_days"] = error.message
        }

        var targets: Set<UUID>?
        if values.targetsMode == "chosen" {
            let codes = values.targetCodeList
            if codes.isEmpty {
                errors["target_codes"] = "Dán mã các công đoàn cơ sở tham gia (mỗi dòng một mã), hoặc chọn “mọi công đoàn cơ sở”."
            } else if let issuerID {
                targets = try await checkTargets(codes, issuerID: issuerID, errors: &errors, on: db)
            }
        }

        try errors.check()
        guard let year, let deadline else { throw errors }
        var input = CampaignInput(code: code, issuerCode: issuerCode, year: year, title: title,
                                  number: number, issuedOn: issuedOn, deadline: deadline)
        input.place = place.isEmpty ? nil : place
        input.subject = subject
        input.addressees = lines(addressees)
        input.recipients = lines(recipients)
        input.body = body
        input.basis = basis
        input.sectors = sectors
        input.acceptsLate = values.acceptsLate
        input.reminders = reminders
        input.criteria = ModelYear.criteria(criteria).joined(separator: "\n")
        input.signer = Signer(authority: signerAuthority, title: signerTitle, name: signerName)
        input.state = CampaignState(rawValue: values.initialState) ?? .draft
        input.targets = targets
        return input
    }

    /// The chosen target units by id, each checked: it exists, is a grassroots union, and
    /// is under the issuer. Names every bad code.
    static func checkTargets(_ codes: [String], issuerID: UUID, errors: inout FieldErrors,
                             on db: any Database) async throws -> Set<UUID>? {
        let nodes = try await UnitDirectory.allNodes(on: db)
        let byCode = Dictionary(nodes.map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
        let under = UnitEditor.subtree(of: issuerID, in: nodes)
        var unknown: [String] = [], notGrassroots: [String] = [], outside: [String] = []
        var ids: Set<UUID> = []
        for code in codes {
            guard let node = byCode[code] else { unknown.append(code); continue }
            if !under.contains(node.id) { outside.append(code) }
            else if node.kind != .grassroots { notGrassroots.append(code) }
            else { ids.insert(node.id) }
        }
        func list(_ codes: [String]) -> String {
            codes.prefix(20).joined(separator: ", ") + (codes.count > 20 ? " và \(codes.count - 20) mã khác" : "")
        }
        var problems: [String] = []
        if !unknown.isEmpty { problems.append("không có đơn vị mã: " + list(unknown)) }
        if !outside.isEmpty { problems.append("không trực thuộc đơn vị phát động: " + list(outside)) }
        if !notGrassroots.isEmpty { problems.append("không phải công đoàn cơ sở: " + list(notGrassroots)) }
        guard problems.isEmpty else {
            errors["target_codes"] = "Có mã chưa dùng được — " + problems.joined(separator: "; ") + "."
            return nil
        }
        return ids
    }
}
