import DVKCore
import Foundation
import Testing

/// Who may give whom an account, what a password may be, how an account row reads.
@Suite struct AccountRulesTests {
    @Test func nobodyGivesARoleOrAUnitAboveTheirOwn() {
        // An administrator: everything that fits the unit.
        for role in Role.allCases {
            #expect(AccountRules.refusal(grant: role, at: .federation, reach: .outside, by: .admin) == AccountRules.misfit(role, .federation))
        }
        // Staff: officers and viewers in their subtree, staff only strictly below, never an admin.
        #expect(AccountRules.refusal(grant: .officer, at: .grassroots, reach: .below, by: .staff) == nil)
        #expect(AccountRules.refusal(grant: .viewer, at: .federation, reach: .own, by: .staff) == nil)
        #expect(AccountRules.refusal(grant: .staff, at: .federation, reach: .below, by: .staff) == nil)
        #expect(AccountRules.refusal(grant: .staff, at: .federation, reach: .own, by: .staff) != nil)
        #expect(AccountRules.refusal(grant: .admin, at: .federation, reach: .below, by: .staff) != nil)
        #expect(AccountRules.refusal(grant: .officer, at: .grassroots, reach: .outside, by: .staff) != nil)
        // Officers and viewers manage no account, whatever it is.
        for actor in [Role.officer, .viewer] {
            for reach in [Reach.own, .below] {
                #expect(AccountRules.refusal(grant: .viewer, at: .grassroots, reach: reach, by: actor) != nil)
            }
            #expect(!AccountRules.managesAccounts(actor))
        }
        // A role fits its unit: an officer in a grassroots union, staff in a federation.
        #expect(AccountRules.refusal(grant: .officer, at: .federation, reach: .below, by: .admin) != nil)
        #expect(AccountRules.refusal(grant: .staff, at: .grassroots, reach: .below, by: .admin) != nil)
        #expect(AccountRules.mayResetTwoFactor(.admin) && !AccountRules.mayResetTwoFactor(.staff))
    }

    @Test func passwordsPeopleCanLiveWith() {
        #expect(PasswordPolicy.problem("mùa thu Hà Nội đẹp lắm") == nil)
        #expect(PasswordPolicy.problem("correct horse battery") == nil)
        #expect(PasswordPolicy.problem("ngắn quá") == "Mật khẩu cần ít nhất 10 ký tự.")
        for common in ["1234567890", "matkhau123", "123456a@123", "anhyeuem123", "Password123", "qwertyuiop", "MatKhau@2024!", "aaaaaaaaaaaa",
                       "anhyeuem2025", "iloveyou!!!", "0987654321"] {
            #expect(PasswordPolicy.problem(common) != nil, "\(common)")
        }
        #expect(PasswordPolicy.problem("ngoclam2024", username: "ngoclam") != nil)
        #expect(PasswordPolicy.problem("Trường Tiểu học Ngọc Lâm", unitName: "Trường Tiểu học Ngọc Lâm") != nil)
        #expect(PasswordPolicy.problem("dvk-dvk-dvk") != nil)
        #expect(PasswordPolicy.problem("hoa.nguyen99!", email: "hoa.nguyen@example.vn") != nil)
        #expect(PasswordPolicy.problem(String(repeating: "x", count: 201)) == "Mật khẩu dài quá 200 ký tự.")
        #expect(PasswordPolicy.rule.count < 200 && !PasswordPolicy.rule.contains("\n"))
    }

    @Test func anAccountIsReadTheSameFromEveryInput() throws {
        let ok = try AccountInput(fullName: " Nguyễn  Thị Hoa ", unitCode: "S1", role: "", email: "hoa@example.vn", phone: "0912 345 678",
                                  title: "Chủ tịch").check(unitKind: .grassroots).get()
        #expect(ok.fullName == "Nguyễn Thị Hoa" && ok.role == .officer && ok.usernameBase == "hoa")
        #expect(try AccountInput(fullName: "A", unitCode: "LB", role: "Cán bộ công đoàn cấp trên").check(unitKind: .federation).get().role == .staff)
        #expect(try AccountInput(fullName: "A", unitCode: "LB", role: "theo doi (chi xem)").check(unitKind: .federation).get().role == .viewer)
        #expect(try AccountInput(fullName: "A", unitCode: "LB", role: "VIEWER").check(unitKind: .federation).get().role == .viewer)
        guard case .failure(let problems) = AccountInput(fullName: "", unitCode: "X", role: "boss", email: "không phải email",
                                                         username: "có dấu").check(unitKind: nil) else {
            Issue.record("accepted")
            return
        }
        #expect(Set(problems.byField.keys) == [.fullName, .unitCode, .role, .email, .username])
        // A federation needs a role said; an officer cannot belong to one.
        guard case .failure(let f) = AccountInput(fullName: "A", unitCode: "LB").check(unitKind: .federation) else { Issue.record("accepted"); return }
        #expect(f[.role] != nil)
        guard case .failure(let o) = AccountInput(fullName: "A", unitCode: "LB", role: "officer").check(unitKind: .federation) else { Issue.record("accepted"); return }
        #expect(o[.role]?.contains("công đoàn cơ sở") == true)
    }

    @Test func statusFollowsWhatIsStored() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(AccountStatus.of(disabled: true, passwordSet: true, invitationLiveUntil: nil, now: now) == .disabled)
        #expect(AccountStatus.of(disabled: false, passwordSet: true, invitationLiveUntil: nil, now: now) == .active)
        #expect(AccountStatus.of(disabled: false, passwordSet: false, invitationLiveUntil: now + 60, now: now) == .invited)
        #expect(AccountStatus.of(disabled: false, passwordSet: false, invitationLiveUntil: now - 60, now: now) == .invitationExpired)
        #expect(AccountStatus.of(disabled: false, passwordSet: false, invitationLiveUntil: nil, now: now) == .invitationExpired)
    }

    @Test func theImportNamesEveryBadLineAndMakesNothing() throws {
        let units: [String: AccountImport.UnitPlace] = ["S1": .init(kind: .grassroots, reach: .below), "GD": .init(kind: .federation, reach: .below),
                                                        "LB": .init(kind: .federation, reach: .own)]
        let good = try CSVTable(text: "Mã đơn vị;Họ và tên;Chức vụ;Email;Số điện thoại;Vai trò\nS1;Nguyễn Thị Hoa;Chủ tịch;hoa@a.vn;;\nGD;Trần Văn Nam;;nam@a.vn;;staff\n")
        let rows = try AccountImport.plan(good, units: units, by: .staff)
        #expect(rows.map(\.draft.role) == [.officer, .staff])
        let bad = try CSVTable(text: """
            Mã đơn vị,Họ và tên,Email,Vai trò
            S1,Hoa,hoa@a.vn,
            XX,Lan,lan@a.vn,
            LB,Nam,nam@a.vn,staff
            S1,Mai,hoa@a.vn,
            GD,Bình,binh@a.vn,admin
            """)
        do {
            _ = try AccountImport.plan(bad, units: units, by: .staff)
            Issue.record("accepted")
        } catch DomainError.badFile(let lines, let total) {
            #expect(total == 4)
            #expect(lines.map(\.line) == [3, 4, 5, 6])
            #expect(lines[0].description.contains("cột Mã đơn vị"))
            #expect(lines[2].description.contains("dòng 2"))
        }
    }
}
