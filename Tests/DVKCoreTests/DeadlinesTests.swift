import DVKCore
import Foundation
import Testing

/// What a typed day means, how a deadline is said, and who is reminded of what.
@Suite struct DeadlinesTests {
    static let deadline = VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 16))
    static func at(_ d: Int, _ hour: Int = 9) -> Date { VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: d), hour: hour) }

    @Test func theCampaignFormWarnsOfAPastDeadlineAndOfALetterNamingAnotherDay() {
        let body = """
            Thực hiện Công văn số 274/LĐLĐ ngày 05/02/2024 của LĐLĐ thành phố.
            - Đăng ký mô hình trên hệ thống trước ngày 16/02/2024.
            - Báo cáo gửi về chậm nhất ngày 15 tháng 02 năm 2024; thời hạn nhận bản giấy: 17-02-2024.
            - Hạn nộp cũ 31/02/2024 không có thật.
            """
        #expect(CampaignWarning.deadlineDays(in: body) == [CalendarDay(year: 2024, month: 2, day: 16), CalendarDay(year: 2024, month: 2, day: 15),
                                                          CalendarDay(year: 2024, month: 2, day: 17)])
        // 16/02 (the deadline's day) and 15/02 (its last day) agree with it; 17/02 does not.
        #expect(CampaignWarning.check(body: body, deadline: Self.deadline, now: Self.at(10), draft: true, running: true)
                == [.letterNamesAnotherDay(CalendarDay(year: 2024, month: 2, day: 17), deadline: Self.deadline)])
        #expect(CampaignWarning.check(body: "", deadline: Self.deadline, now: Self.deadline, draft: true, running: true) == [.deadlinePast(Self.deadline)])
        #expect(CampaignWarning.check(body: "", deadline: Self.deadline, now: Self.at(20), draft: false, running: true).isEmpty,
                "an open campaign past its deadline is in its late period")
        #expect(CampaignWarning.check(body: body, deadline: Self.deadline, now: Self.at(20), draft: false, running: false).isEmpty, "a closed campaign")
        // A text as long as a letter may be costs one pass.
        #expect(CampaignWarning.deadlineDays(in: String(repeating: "hạn nộp 1/1/2024 ", count: 5_000)).count < 1_200)
    }

    @Test func aTypedDayMeansTheStartOfTheDeadlineAndTheEndOfAnExtension() {
        #expect(DeadlineInput.beforeDay.instant("16/02/2024") == Self.deadline)
        #expect(DeadlineInput.beforeDay.instant("2024-02-16") == Self.deadline)
        #expect(DeadlineInput.throughDay.instant("20/02/2024") == VietnamTime.instant(CalendarDay(year: 2024, month: 2, day: 21)))
        #expect(DeadlineInput.throughDay.instant(" 2024-02-20 ") == DeadlineInput.throughDay.instant("20/02/2024"))
        // A time makes it that instant, in either sense.
        #expect(DeadlineInput.throughDay.instant("2024-02-20T17:00:00+07:00") == Self.at(20, 17))
        #expect(DeadlineInput.beforeDay.instant("20/02/2024 17:00") == Self.at(20, 17))
        #expect(DeadlineInput.throughDay.instant("31/02/2024") == nil && DeadlineInput.throughDay.instant("") == nil)
        // Said back as typed.
        let through = DeadlineInput.throughDay.instant("20/02/2024")!
        #expect(DeadlineInput.throughDay.day(of: through) == CalendarDay(year: 2024, month: 2, day: 20))
        #expect(DeadlineText.through(through) == "đến hết ngày 20/02/2024")
        #expect(DeadlineText.through(Self.at(20, 17)) == "trước 17 giờ 00 ngày 20/02/2024")
        #expect(DeadlineText.letterThrough(through) == "đến hết ngày 20 tháng 02 năm 2024")
        if case .failure(let error) = DeadlineInput.throughDay.read("20-2", field: "Ngày gia hạn") {
            #expect(error.message == "Ngày gia hạn “20-2” không hợp lệ; viết theo dạng ngày/tháng/năm, ví dụ 20/02/2024.")
        } else {
            Issue.record("20-2 was read as a day")
        }
    }

    @Test func theTimeLeftIsWordedAndNeverTraps() {
        #expect(DeadlineText.timeLeft(until: Self.deadline, now: Self.deadline.addingTimeInterval(-(26 * 3600 + 1800))) == "còn 1 ngày 2 giờ")
        #expect(DeadlineText.timeLeft(until: Self.deadline, now: Self.deadline.addingTimeInterval(-1800)) == "còn 30 phút")
        #expect(DeadlineText.timeLeft(until: Self.deadline, now: Self.deadline.addingTimeInterval(1)) == "đã hết hạn dưới 1 phút")
        // Instants no one would type still give an answer.
        _ = DeadlineText.timeLeft(until: .distantFuture, now: .distantPast)
        _ = DeadlineText.timeLeft(until: Date(timeIntervalSince1970: .infinity), now: Self.deadline)
    }

    @Test func aReminderPressesTheDeadlineOrTheResubmitDayAndSaysLateOnlyForAFirstSubmission() {
        let policy = DeadlinePolicy(deadline: Self.deadline, acceptsLate: true)
        let drafting = Standing(status: .draft, policy: policy)
        #expect(drafting.reminder(at: Self.at(14)) == .due(Self.deadline))
        #expect(drafting.reminder(at: Self.deadline) == .overdue(Self.deadline), "at the deadline itself it is late")
        #expect(drafting.reminder(at: Self.at(17)).note(now: Self.at(17))?.text == "đã hết hạn nộp; đợt thi đua vẫn nhận hồ sơ, hồ sơ được ghi là nộp muộn")
        var strict = drafting
        strict.policy.acceptsLate = false
        #expect(strict.reminder(at: Self.at(17)) == .closed)
        // Handed in on time, returned after the deadline: reminded of the day set, never "late".
        let by = VietnamTime.endOf(CalendarDay(year: 2024, month: 2, day: 20))
        let returned = Standing(status: .returned, firstSubmittedAt: Self.at(13), lastSubmittedAt: Self.at(13), resubmitBy: by, policy: policy)
        #expect(returned.reminder(at: Self.at(18)) == .resubmit(by: by))
        #expect(returned.reminder(at: Self.at(18)).subject("X") == "Nhắc nộp lại hồ sơ: X")
        #expect(returned.reminder(at: Self.at(22)) == .resubmitOverdue(by: by))
        #expect(returned.reminder(at: Self.at(22)).note(now: Self.at(22))?.text == "đã quá ngày đề nghị nộp lại; hồ sơ nộp lại được ghi là nộp lại muộn")
        var open = returned
        open.resubmitBy = nil
        #expect(open.reminder(at: Self.at(22)) == .resubmit(by: nil) && open.reminder(at: Self.at(22)).note(now: Self.at(22)) == nil)
        // A returned unit in a campaign that takes no late work may still resubmit.
        var strictReturned = returned
        strictReturned.policy.acceptsLate = false
        #expect(strictReturned.reminder(at: Self.at(22)).isSent)
        let submitted = Standing(status: .submitted, firstSubmittedAt: Self.at(13), policy: policy)
        #expect(submitted.reminder(at: Self.at(14)) == .none)
    }

    @Test func aDeadlineMustComeAfterTheLettersDay() {
        let issued = CalendarDay(year: 2024, month: 2, day: 6)
        #expect(CampaignDates.problem(deadline: Self.deadline, issuedOn: issued) == nil)
        #expect(CampaignDates.problem(deadline: VietnamTime.instant(issued), issuedOn: issued) == "Hạn nộp phải sau ngày ban hành công văn (06/02/2024).")
    }
}
