import DVKCore
import Foundation
import Testing

/// Where a unit stands: lateness by the first submission only, "nộp lại muộn" apart from
/// it, extensions, whose move it is, the dashboard's groups — for every status.
@Suite struct StandingTests {
    static let deadline = VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 16))
    static let before = deadline.addingTimeInterval(-3 * 86_400)     // 13/02
    static let after = deadline.addingTimeInterval(2 * 86_400)       // 18/02
    static let muchLater = deadline.addingTimeInterval(10 * 86_400)  // 26/02

    func policy(acceptsLate: Bool = true, open: Bool = true) -> DeadlinePolicy {
        DeadlinePolicy(deadline: Self.deadline, acceptsLate: acceptsLate, isOpen: open,
                       extensionLimit: VietnamTime.instant(CalendarDay(year: 2025, month: 1, day: 1)))
    }

    /// Runs steps from "not started", failing the test on any refusal.
    func walk(_ steps: [(SubmissionStep, Date)], policy: DeadlinePolicy) throws -> Standing {
        var s = Standing(policy: policy)
        for (step, at) in steps { s = try s.after(step, at: at).get() }
        return s
    }

    @Test func aUnitThatHasNotStartedIsWaitedFor() {
        let s = Standing(policy: policy())
        #expect(s.phase == .notStarted && s.turn == .unit && !s.isLate && !s.hasSubmitted)
        #expect(s.maySubmit(at: Self.before) && s.maySubmit(at: Self.after))
        #expect(!Standing(policy: policy(acceptsLate: false)).maySubmit(at: Self.after))
        #expect(!Standing(policy: policy(open: false)).maySubmit(at: Self.before))
        #expect(s.wouldBeLate(at: Self.deadline) && !s.wouldBeLate(at: Self.before))
    }

    @Test func onTimeThenReturnedAfterTheDeadlineAndResubmittedLaterIsNotLate() throws {
        var s = try walk([(.edit, Self.before), (.submit(initiatives: 2), Self.before)], policy: policy(acceptsLate: false))
        #expect(!s.isLate && s.phase == .waitingReview && s.turn == .review)
        s = try s.after(.return(resubmitBy: nil), at: Self.after).get()
        #expect(s.phase == .returned && s.turn == .unit && !s.isLate)
        // Returned work may come back after the deadline even when late work is not taken,
        // and it is not marked late for it.
        #expect(s.maySubmit(at: Self.muchLater) && !s.wouldBeLate(at: Self.muchLater))
        s = try s.after(.submit(initiatives: 2), at: Self.muchLater).get()
        #expect(s.status == .resubmitted && !s.isLate && !s.isResubmittedLate)
        #expect(s.firstSubmittedAt == Self.before && s.lastSubmittedAt == Self.muchLater)
        s = try s.after(.accept, at: Self.muchLater).get()
        #expect(s.phase == .accepted && s.turn == .done && !s.isLate)
    }

    @Test func lateOnceIsLateThroughReturnAndResubmission() throws {
        var s = try walk([(.edit, Self.after), (.submit(initiatives: 1), Self.after)], policy: policy())
        #expect(s.isLate)
        s = try s.after(.return(resubmitBy: nil), at: Self.muchLater).get()
        #expect(s.isLate && s.phase == .returned)
        s = try s.after(.submit(initiatives: 1), at: Self.muchLater.addingTimeInterval(60)).get()
        #expect(s.isLate && s.status == .resubmitted)
    }

    @Test func aResubmissionAfterTheReviewersDateIsResubmittedLateNotLate() throws {
        let by = VietnamTime.endOf(CalendarDay(year: 2024, month: 2, day: 20))
        var s = try walk([(.edit, Self.before), (.submit(initiatives: 1), Self.before), (.return(resubmitBy: by), Self.before)],
                         policy: policy())
        #expect(s.resubmitBy == by && !s.isResubmittedLate)
        #expect(!s.wouldBeResubmittedLate(at: by.addingTimeInterval(-1)) && s.wouldBeResubmittedLate(at: by))
        s = try s.after(.submit(initiatives: 1), at: by).get()
        #expect(s.isResubmittedLate && !s.isLate)
        var counts = StandingCounts(s)
        #expect(counts.resubmittedLate == 1 && counts.onTime == 1 && counts.late == 0)
        // A date to resubmit by must be ahead of the return.
        counts = StandingCounts()
        #expect(throws: DomainError.self) { try s.after(.return(resubmitBy: Self.before), at: Self.after).get() }
    }

    @Test func theExtensionMovesTheDeadlineForLatenessAndSubmitting() throws {
        let extended = Self.after.addingTimeInterval(86_400)
        var s = try walk([(.extend(until: extended), Self.before), (.edit, Self.after), (.submit(initiatives: 1), Self.after)],
                         policy: policy(acceptsLate: false))
        #expect(s.deadline == extended && !s.isLate)
        // Taking the extension back makes the same first submission late.
        s = try s.after(.extend(until: nil), at: Self.after).get()
        #expect(s.deadline == Self.deadline && s.isLate)
        // Bounds: after the campaign's deadline, within its year, while it is open.
        let fresh = Standing(policy: policy())
        #expect(throws: DomainError.self) { try fresh.after(.extend(until: Self.before), at: Self.before).get() }
        #expect(throws: DomainError.self) {
            try fresh.after(.extend(until: VietnamTime.instant(CalendarDay(year: 2025, month: 3, day: 1))), at: Self.before).get()
        }
        #expect(throws: DomainError.self) { try Standing(policy: policy(open: false)).after(.extend(until: extended), at: Self.before).get() }
    }

    @Test func noModelIsAnAnswerThatIsDoneAndCanBeLate() throws {
        let s = try walk([(.declare(initiatives: 0), Self.after)], policy: policy())
        #expect(s.phase == .noModel && s.turn == .done && s.isLate && s.status.counts)
        #expect(throws: DomainError.self) { try Standing(policy: policy()).after(.declare(initiatives: 2), at: Self.before).get() }
        #expect(throws: DomainError.self) { try Standing(policy: policy()).after(.submit(initiatives: 0), at: Self.before).get() }
    }

    @Test func stepsTheStateOrTheCampaignDoesNotAllowAreConflicts() throws {
        let submitted = try walk([(.edit, Self.before), (.submit(initiatives: 1), Self.before)], policy: policy())
        #expect(throws: DomainError.conflict("Không thể nộp khi hồ sơ đang ở trạng thái “Đã nộp”.")) {
            try submitted.after(.submit(initiatives: 1), at: Self.before).get()
        }
        #expect(throws: DomainError.self) { try submitted.after(.edit, at: Self.before).get() }
        #expect(throws: DomainError.self) { try Standing(policy: policy(acceptsLate: false)).after(.submit(initiatives: 1), at: Self.after).get() }
        #expect(throws: DomainError.self) { try Standing(policy: policy(open: false)).after(.edit, at: Self.before).get() }
        // The CLI's import is an administrator's act, in any state of the campaign.
        let imported = try Standing(policy: policy(open: false)).after(.import(at: Self.before), at: Self.after).get()
        #expect(imported.status == .submitted && imported.firstSubmittedAt == Self.before && !imported.isLate)
    }

    /// Every status, on time or late, with or without a return: the groups partition the
    /// targets exactly as the dashboard adds them up.
    @Test(arguments: SubmissionStatus.allCases)
    func theGroupsPartitionTheTargets(status: SubmissionStatus) {
        for first in [nil, Self.before, Self.after] as [Date?] {
            for noModel in [false, true] {
                for extended in [nil, Self.muchLater] as [Date?] {
                    let s = Standing(status: status, noModel: noModel, firstSubmittedAt: status == .notStarted || status == .draft ? nil : first,
                                     lastSubmittedAt: first, extendedUntil: extended, policy: policy())
                    let c = StandingCounts(s)
                    #expect(c.expected == 1)
                    #expect(c.submitted + c.pending == 1)
                    #expect(c.waitingReview + c.accepted + c.noModel == c.submitted)
                    #expect(c.notStarted + c.draft + c.returned == c.pending)
                    #expect(c.late == (s.phase.isSubmitted && s.isLate ? 1 : 0))
                    #expect(s.phase.isSubmitted == status.counts)
                    // Lateness never depends on the status, only on the first submission.
                    #expect(s.isLate == ((s.firstSubmittedAt ?? .distantPast) >= (extended ?? Self.deadline) && s.firstSubmittedAt != nil))
                }
            }
        }
    }

    @Test func countsAddAndSubtract() {
        let a = StandingCounts(Standing(status: .submitted, firstSubmittedAt: Self.after, lastSubmittedAt: Self.after, policy: policy()))
        let b = StandingCounts(Standing(status: .draft, policy: policy()))
        let sum = a + b
        #expect(sum.expected == 2 && sum.late == 1 && sum.draft == 1 && sum.waitingReview == 1)
        #expect((sum - b) == a && (sum - a - b).isZero)
        #expect(StandingCounts(columns: sum.columns) == sum)
    }

    /// The filter table agrees with itself: for every combination of status, "no model",
    /// lateness and a late resubmission, the units a filter matches one by one are as many
    /// as it counts from the summed `StandingCounts` (what the dashboard shows on its cards
    /// and pages by), and the groups partition the units as the cards say.
    @Test func eachFilterCountsTheUnitsItMatches() {
        var units: [Standing] = []
        for status in SubmissionStatus.allCases {
            for noModel in [false, true] {
                for first in [nil, Self.before, Self.after] {
                    for last in [nil, Self.after, Self.muchLater] {
                        for resubmitBy in [nil, Self.muchLater] {
                            units.append(Standing(status: status, noModel: noModel, firstSubmittedAt: first, lastSubmittedAt: last,
                                                  resubmitBy: resubmitBy, policy: policy()))
                        }
                    }
                }
            }
        }
        let counts = units.reduce(StandingCounts()) { $0 + StandingCounts($1) }
        for filter in StandingFilter.allCases {
            #expect(units.filter(filter.matches).count == filter.count(in: counts), "\(filter)")
        }
        #expect(StandingFilter.all.count(in: counts) == units.count)
        let handedIn = StandingFilter.submitted.count(in: counts), pending = StandingFilter.pending.count(in: counts)
        #expect(handedIn + pending == units.count)
        #expect(StandingFilter.onTime.count(in: counts) + StandingFilter.late.count(in: counts) == handedIn)
        #expect([StandingFilter.waitingReview, .accepted, .noModel].map { $0.count(in: counts) }.reduce(0, +) == handedIn)
        #expect([StandingFilter.notStarted, .draft, .returned].map { $0.count(in: counts) }.reduce(0, +) == pending)
        #expect(StandingFilter.resubmittedLate.count(in: counts) > 0 && StandingFilter.late.count(in: counts) > 0)
    }
}

/// Vietnam time by arithmetic agrees with Foundation's calendar, across years and edges.
@Suite struct VietnamTimeArithmeticTests {
    @Test func fieldsAgreeWithTheCalendar() {
        var rng = SystemRandomNumberGenerator()
        let edges: [Double] = [-946_080_000, -1, 0, 1, 951_757_200, 1_708_016_400, 4_102_444_799]
        let random: [Double] = (0..<2_000).map { _ in Double(Int64.random(in: -2_000_000_000...4_000_000_000, using: &rng)) }
        for t in edges + random {
            let date = Date(timeIntervalSince1970: t)
            let c = VietnamTime.calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let f = VietnamTime.fields(date)
            let same = f.year == c.year && f.month == c.month && f.day == c.day
            let sameTime = f.hour == c.hour && f.minute == c.minute && f.second == c.second
            #expect(same && sameTime, "\(t)")
            // The ISO text, written by bytes, as the calendar's fields formatted by printf.
            let iso = String(format: "%04d-%02d-%02dT%02d:%02d:%02d+07:00", c.year ?? 0, c.month ?? 0, c.day ?? 0, c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
            #expect(VietnamTime.iso(date) == iso, "\(t)")
            let day = CalendarDay(year: f.year, month: f.month, day: f.day)
            let back = VietnamTime.instant(day, hour: f.hour, minute: f.minute).addingTimeInterval(Double(f.second))
            #expect(back == date, "\(t)")
        }
        #expect(VietnamTime.iso(Date(timeIntervalSince1970: 1_708_016_400)) == "2024-02-16T00:00:00+07:00")
    }
}

@Suite struct CalendarDayParsingTests {
    @Test func readsBothFormsAndNothingElse() {
        #expect(CalendarDay(parsing: "2024-02-06") == CalendarDay(year: 2024, month: 2, day: 6))
        #expect(CalendarDay(parsing: " 6/2/2024 ") == CalendarDay(year: 2024, month: 2, day: 6))
        #expect(CalendarDay(parsing: "29/02/2024") == CalendarDay(year: 2024, month: 2, day: 29))
        for bad in ["", "2024-02", "29/02/2023", "31/04/2024", "2024/02/06", "06-02-2024", "2024-02-06T09:00", "1/1/24",
                    "12345-01-01", "06/02/2024/1", "aa/bb/cccc", "06//2024", "-2024-01-01", "٠٦/٠٢/٢٠٢٤"] {
            #expect(CalendarDay(parsing: bad) == nil, "\(bad)")
        }
    }

}

