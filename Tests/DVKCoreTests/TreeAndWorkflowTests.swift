import Foundation
import Testing
@testable import DVKCore

@Suite struct UnitTreeTests {
    // HN → LB → (F1 → A, B), C ; HN → D (another district)
    @Test func snapshotNumbersTheSubtreeInPreOrder() throws {
        let hn = UUID(), lb = UUID(), f1 = UUID(), a = UUID(), b = UUID(), c = UUID(), d = UUID()
        let nodes = [
            UnitNode(id: c, code: "C", name: "C", kind: .grassroots, parentID: lb),
            UnitNode(id: hn, code: "HN", name: "HN", kind: .federation, parentID: nil),
            UnitNode(id: b, code: "B", name: "B", kind: .grassroots, parentID: f1),
            UnitNode(id: lb, code: "LB", name: "LB", kind: .federation, parentID: hn),
            UnitNode(id: f1, code: "F1", name: "F1", kind: .federation, parentID: lb),
            UnitNode(id: a, code: "A", name: "A", kind: .grassroots, parentID: f1),
            UnitNode(id: d, code: "D", name: "D", kind: .grassroots, parentID: hn),
        ]
        let snap = try UnitTree.snapshot(of: nodes, rootID: lb)
        #expect(snap.map(\.code) == ["LB", "C", "F1", "A", "B"])
        #expect(snap.map(\.pre) == [0, 1, 2, 3, 4])
        #expect(snap.map(\.last) == [4, 1, 4, 3, 4])
        #expect(snap.map(\.depth) == [0, 1, 1, 2, 2])
        #expect(snap.filter(\.isTarget).map(\.code) == ["C", "A", "B"])
        #expect(snap[2].contains(snap[3]) && !snap[2].contains(snap[1]))
    }

    @Test func snapshotRefusesACycle() {
        let a = UUID(), b = UUID()
        let nodes = [UnitNode(id: a, code: "A", name: "A", kind: .federation, parentID: b),
                     UnitNode(id: b, code: "B", name: "B", kind: .federation, parentID: a)]
        #expect(throws: DomainError.self) { try UnitTree.snapshot(of: nodes, rootID: a) }
    }

    @Test func wouldCycleDetectsMovesUnderOwnSubtree() {
        let a = UUID(), b = UUID(), c = UUID()
        let parents: [UUID: UUID?] = [a: nil, b: a, c: b]
        #expect(UnitTree.wouldCycle(moving: a, under: c, parents: parents))
        #expect(!UnitTree.wouldCycle(moving: c, under: a, parents: parents))
        #expect(UnitTree.wouldCycle(moving: a, under: a, parents: parents))
    }
}

@Suite struct WorkflowTests {
    @Test func theHappyPathAndAReturn() throws {
        var s = SubmissionStatus.notStarted
        s = try SubmissionAction.edit.apply(to: s).get()
        #expect(s == .draft)
        s = try SubmissionAction.submit.apply(to: s).get()
        #expect(s == .submitted && s.counts && !s.isEditable)
        s = try SubmissionAction.return.apply(to: s).get()
        #expect(s == .returned && !s.counts && s.isEditable)
        s = try SubmissionAction.submit.apply(to: s).get()
        #expect(s == .resubmitted && s.counts)
        s = try SubmissionAction.accept.apply(to: s).get()
        #expect(s == .accepted && s.counts)
    }

    @Test func refusesWhatTheWorkflowForbids() {
        #expect(throws: DomainError.self) { try SubmissionAction.accept.apply(to: .draft).get() }
        #expect(throws: DomainError.self) { try SubmissionAction.edit.apply(to: .submitted).get() }
        #expect(throws: DomainError.self) { try SubmissionAction.submit.apply(to: .accepted).get() }
        #expect(throws: DomainError.self) { try SubmissionAction.return.apply(to: .notStarted).get() }
    }
}

/// Who may dissolve or merge a unit, and into what.
@Suite struct UnitEndingRuleTests {
    static func target(_ kind: UnitKind = .federation, _ reach: Reach = .below, inside: Bool = false) -> UnitEnding {
        .merge(into: UnitEnding.Target(kind: kind, reach: reach, insideMerged: inside))
    }

    @Test func onlyStaffAboveTheUnitEndIt() {
        for role in Role.allCases {
            let refusal = TreeRules.endRefusal(.dissolve, by: role, unitReach: .below, unitKind: .grassroots, liveChildren: 0)
            #expect((refusal == nil) == role.manages, "\(role)")
        }
        // Never one's own unit, nor one beside or above.
        #expect(TreeRules.endRefusal(.dissolve, by: .admin, unitReach: .own, unitKind: .federation, liveChildren: 0) != nil)
        #expect(TreeRules.endRefusal(.dissolve, by: .staff, unitReach: .outside, unitKind: .grassroots, liveChildren: 0) != nil)
    }

    @Test func aDissolvedUnitLeavesNoUnitBehindAndAMergerStaysInKindAndReach() {
        let dissolve = TreeRules.endRefusal(.dissolve, by: .staff, unitReach: .below, unitKind: .federation, liveChildren: 3)
        #expect(dissolve?.contains("3 đơn vị trực thuộc") == true)
        // Merging takes the units along.
        #expect(TreeRules.endRefusal(Self.target(), by: .staff, unitReach: .below, unitKind: .federation, liveChildren: 3) == nil)
        #expect(TreeRules.endRefusal(Self.target(.federation, .own), by: .staff, unitReach: .below, unitKind: .federation, liveChildren: 3) == nil)
        #expect(TreeRules.endRefusal(Self.target(.grassroots), by: .staff, unitReach: .below, unitKind: .federation, liveChildren: 0) != nil)
        #expect(TreeRules.endRefusal(Self.target(.federation, .outside), by: .staff, unitReach: .below, unitKind: .federation, liveChildren: 0) != nil)
        #expect(TreeRules.endRefusal(Self.target(inside: true), by: .admin, unitReach: .below, unitKind: .federation, liveChildren: 1) != nil)
        // No account lands in a unit that ended.
        #expect(AccountRules.endedUnit("X", endedAt: nil) == nil)
        #expect(AccountRules.endedUnit("Trường X", endedAt: Date(timeIntervalSince1970: 1_700_000_000))?.contains("“Trường X”") == true)
    }
}

@Suite struct SignatoryTests {
    @Test func theIssuerSignsAsItsCampaignSaysAndEveryOtherUnitByItsOwnPage() {
        let campaign = Signer(authority: "TM. BAN THƯỜNG VỤ", title: "PHÓ CHỦ TỊCH", name: "Đặng Thị Ánh Nguyệt")
        #expect(Signatory.signer(kind: .federation, isIssuer: true, campaign: campaign, title: "x", name: "y") == campaign)
        #expect(Signatory.signer(kind: .federation, isIssuer: false, campaign: campaign, title: " ", name: "")
                == Signer(authority: "TM. BAN THƯỜNG VỤ", title: "CHỦ TỊCH", name: ""))
        #expect(Signatory.signer(kind: .federation, isIssuer: false, campaign: campaign, title: "Phó Chủ tịch", name: " Trần  Văn Bình ")
                == Signer(authority: "TM. BAN THƯỜNG VỤ", title: "PHÓ CHỦ TỊCH", name: "Trần Văn Bình"))
        #expect(Signatory.signer(kind: .grassroots, isIssuer: false, campaign: campaign, title: "", name: "")
                == Signer(authority: "TM. BAN CHẤP HÀNH", title: "CHỦ TỊCH", name: ""))
    }
}

@Suite struct PersonInChargeTests {
    @Test func theNameAndTheTitleAreReadApart() {
        #expect(PersonInCharge.split("Nguyễn Văn An, Tổ trưởng công đoàn") == ("Nguyễn Văn An", "Tổ trưởng công đoàn"))
        #expect(PersonInCharge.split("Tổ trưởng công đoàn – Nguyễn Văn An") == ("Nguyễn Văn An", "Tổ trưởng công đoàn"))
        #expect(PersonInCharge.split("Chủ tịch công đoàn cơ sở") == ("", "Chủ tịch công đoàn cơ sở"))
        #expect(PersonInCharge.split("  Lê  Thị Hoa ") == ("Lê Thị Hoa", ""))
        #expect(PersonInCharge.split("") == ("", ""))
        #expect(PersonInCharge.split("Phó Đức An") == ("Phó Đức An", ""), "a family name, not a title")
        #expect(PersonInCharge.split("Phó Đức An - Phó chủ tịch công đoàn") == ("Phó Đức An", "Phó chủ tịch công đoàn"))
    }
}
