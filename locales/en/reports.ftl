# The reports (/funnel, /sla, /funnel plan), the weekly digest and the charts, in English.
# Every id here exists in every locale with the same variables (a test checks it). A
# number arrives written in the locale ($n, $value...); $count is the same number for
# choosing the plural form.

## Numbers

number-percent = { $value }%
number-rate = { $percent } (n={ $n })

## Names: stages, clocks, dimensions

stage-visitor = visitor
stage-lead = lead
stage-mql = mql
stage-sql = sql
stage-opportunity = opportunity
stage-customer = customer
stage-evangelist = evangelist
stage-disqualified = disqualified
stage-short-visitor = visitor
stage-short-lead = lead
stage-short-mql = mql
stage-short-sql = sql
stage-short-opportunity = opp
stage-short-customer = customer
stage-short-evangelist = evang
report-clock-ack = ack
report-clock-first-touch = first touch
report-clock-decision = decision
dimension-source = source
dimension-campaign = campaign
dimension-rep = rep
dimension-team = team
count-handoffs =
    { $count ->
        [one] { $n } handoff
       *[other] { $n } handoffs
    }
count-breaches =
    { $count ->
        [one] { $n } breach
       *[other] { $n } breaches
    }
count-mqls =
    { $count ->
        [one] { $n } MQL
       *[other] { $n } MQLs
    }

## Table heads

col-stage = stage
col-entered = entered
col-went-further = went further
col-clock = clock
col-median = median
col-p90 = p90
col-median-business = median (business)
col-p90-business = p90 (business)
col-compliance = compliance
col-handoffs = handoffs
col-acceptance = acceptance
col-rating = rating
col-rep = rep
col-campaign = campaign
col-to-sql = to sql
col-to-opportunity = to opportunity
col-to-customer = to customer
col-ack = ack
col-median-ack = median ack
col-breaches = breaches
col-lead = lead
col-late = late
col-overdue-by = overdue by
row-team = team
key-none = (none)
rank-top = top:
rank-bottom = bottom:

## /funnel

period-describe = { $name } ({ $from } to { $to }, { $zone })
funnel-title = Funnel for { $period }
funnel-handoffs = Handoffs opened: { $opened } ({ $accepted } accepted, { $rejected } rejected, { $open } still open).
funnel-duplicates =
    { $count ->
        [one] Duplicates: { $n } more MQL for a person who already had an open handoff, attached to it.
       *[other] Duplicates: { $n } more MQLs for people who already had an open handoff, attached to it.
    }
acceptance-met = Acceptance: { $rate }, target { $target }: met.
acceptance-below = Acceptance: { $rate }, target { $target }: below target.
acceptance-target = Acceptance: { $rate }, target { $target }.
acceptance-plain = Acceptance: { $rate }.
rejected-for = Rejected for: { $list }.
speed-from-mql = Speed from MQL:
funnel-mql-on-track = MQLs this { $period } ({ $elapsed } of it gone): { $entered } of { $target }, pace { $pace }: on track.
funnel-mql-behind = MQLs this { $period } ({ $elapsed } of it gone): { $entered } of { $target }, pace { $pace }: behind.
funnel-mql-target = MQLs this { $period } ({ $elapsed } of it gone): { $entered } of { $target }.
funnel-mql-none = MQLs this { $period } ({ $elapsed } of it gone): { $entered } (no target set).
quality-none = Quality by { $what }: no handoffs.
quality-head = Quality by { $what }:
more-json =
    { $count ->
        [one] … and { $n } more (see --format json)
       *[other] … and { $n } more (see --format json)
    }
more-rows =
    { $count ->
        [one] … and { $n } more
       *[other] … and { $n } more
    }
rank-reps = Reps by conversion of their handoffs:
rank-campaigns = Campaigns by leads that reached each stage:
by-nothing = By { $by }: nothing in this period.
by-head = By { $by }:

## /sla

sla-title = SLA for { $period }
sla-title-team = , team { $team }
sla-title-rep = , { $rep } only
sla-summary = { $handoffs }, { $breaches }.
sla-whose-clock = A clock counts for whoever held the lead when it was met or ran out.
sla-team = Team { $team }: { $handoffs }, { $breaches }.
latest-breaches = Latest breaches:
breach-late = { $span } late
breach-overdue = overdue by { $span }
breach-item = • lead #{ $lead } { $title }: { $clock }, { $who }, { $late }

## The weekly digest

digest-title = Weekly SLA digest, { $week }
digest-week = Week
digest-dates = { $from } to { $to } ({ $zone })
digest-team-summary = { $team }: { $handoffs }, ack { $ack }, { $breaches }, { $overdue } overdue now
digest-marketing-summary = Marketing: { $mqls }, acceptance { $rate }
digest-marketing-summary-target = Marketing: { $mqls } of { $target } this { $period }, acceptance { $rate }
digest-handoffs = Handoffs opened: { $opened } ({ $accepted } accepted, { $rejected } rejected, { $open } open)
digest-ack-compliance = Ack compliance:
digest-first-touch-compliance = First-touch compliance:
digest-compliance = { $percent } ({ $met } of { $n } met)
digest-compliance-none = – (no clock decided)
digest-time-to-ack = Time to ack: median { $median }, p90 { $p90 } (business time: { $median_business }, { $p90_business })
digest-team-heading = Team { $team } (manager { $manager })
digest-no-breaches = No breaches this week.
digest-counting = { $span } and counting
digest-breaches-heading = Team { $team }: breaches this week ({ $n })
digest-nothing-overdue = Nothing is overdue.
digest-overdue-heading = Team { $team }: overdue now ({ $n })
digest-mql-week-end-on-track = MQLs this { $period } up to the end of the week ({ $elapsed } of the { $period } gone): { $entered } of { $target }, pace { $pace }: on track
digest-mql-week-end-behind = MQLs this { $period } up to the end of the week ({ $elapsed } of the { $period } gone): { $entered } of { $target }, pace { $pace }: behind
digest-mql-week-end-target = MQLs this { $period } up to the end of the week ({ $elapsed } of the { $period } gone): { $entered } of { $target }
digest-mql-week-end-none = MQLs this { $period } up to the end of the week ({ $elapsed } of the { $period } gone): { $entered } (no target set)
digest-mql-so-far-on-track = MQLs this { $period } so far ({ $elapsed } of the { $period } gone): { $entered } of { $target }, pace { $pace }: on track
digest-mql-so-far-behind = MQLs this { $period } so far ({ $elapsed } of the { $period } gone): { $entered } of { $target }, pace { $pace }: behind
digest-mql-so-far-target = MQLs this { $period } so far ({ $elapsed } of the { $period } gone): { $entered } of { $target }
digest-mql-so-far-none = MQLs this { $period } so far ({ $elapsed } of the { $period } gone): { $entered } (no target set)
digest-mqls-this-week = MQLs this week: { $n }
digest-marketing-handoffs = Handoffs: { $opened } ({ $accepted } accepted, { $rejected } rejected, { $open } open); { $acceptance }
digest-acceptance-met = acceptance { $rate }, target { $target }: met
digest-acceptance-below = acceptance { $rate }, target { $target }: below target
digest-acceptance-target = acceptance { $rate }, target { $target }
digest-acceptance-plain = acceptance { $rate }
digest-nothing-rejected = Rejected for: nothing rejected
digest-rejected-for = Rejected for: { $list }
digest-marketing-heading = Marketing: MQLs and acceptance
digest-no-handoffs = No handoffs this week.
digest-quality-heading = Lead quality by { $what }
digest-rank-reps = Reps, by conversion of their handoffs:
digest-rank-campaigns = Campaigns, by leads that reached each stage this week:
digest-nothing-to-rank = Nothing to rank this week.
digest-ranking-heading = Top and bottom reps and campaigns
digest-chart-title = Funnel, week { $week }
digest-chart-subtitle = Leads that entered each stage, { $dates }
digest-chart-message = Funnel chart, week { $week }
digest-no-recipients = No recipients: configure [[team]] managers or [digest] to.
digest-to = ──── To: { $to } ────

## Charts

chart-funnel-title = Funnel, { $period }
chart-funnel-subtitle = Leads that entered each stage: { $period }
chart-funnel-by-title = Funnel by { $by }, { $period }
chart-funnel-by-subtitle = Handoffs, accepted and to SQL: { $period }
series-handoffs = handoffs
series-accepted = accepted
series-to-sql = to SQL
chart-no-data = No data for this period
chart-went-further = ↓ { $percent } went further
chart-not-shown =
    { $count ->
        [one] … { $n } more not shown
       *[other] … { $n } more not shown
    }
chart-last-week = { $series }: { $value } in the last week
chart-needed = needed
chart-pace-on-track = pace: on track
chart-pace-short = pace: short
chart-pace-none-needed = pace { $pace }, none needed
chart-pace-of = pace { $pace } of { $needed } ({ $percent })
chart-pace-little-data = pace { $pace }; too little data
trend-mqls = MQLs
trend-acceptance = Acceptance
trend-ack-compliance = Ack compliance
trend-subtitle = The last { $count } weeks, { $from } to { $to }

## The demo

demo-banner =
    Baton demo: team "sales" (Rui, Sam, Lia; manager Mia) on { $db }. HTTP on { $address }.
    Type commands here, e.g. `/lead show 1`, `/lead ack 1`, `@rui@demo.test /lead mine`, `/baton help`. Ctrl-C stops.

## /funnel plan: the reverse funnel

plan-customers =
    { $count ->
        [one] { $n } customer
       *[other] { $n } customers
    }
plan-title = Plan: { $customers } in { $period } ({ $elapsed } of it gone)
plan-basis = Conversions measured over { $basis }.
plan-col-goes-further = goes further
plan-col-needed = needed
plan-col-so-far = so far
plan-col-pace = pace by end
plan-col-needed-month = needed/month
plan-col-short-month = short/month
plan-col-mqls-needed = MQLs needed
plan-col-leads-needed = leads needed
plan-col-customers-so-far = customers so far
plan-too-little-data = too little data
plan-mqls-too-little = { $mqls } (too little data)
plan-on-track = on track
plan-no-entries = no entries
plan-range = { $low } to { $high }
plan-at-least = at least { $low }
plan-not-enough = Not enough data for { $stage }: { $count ->
        [one] { $n } entry
       *[other] { $n } entries
    } in the basis (fewer than { $min }), so no single number
plan-not-enough-interval = { $first }; a 90% interval puts its conversion to { $next } between { $low } and { $high }, so { $stage } needs { $range }.
plan-not-enough-end = { $first }.
plan-no-conversions = No { $stage } entry went further in the basis: the plan above { $stage } is a range, not a number.
plan-delivered-short = At the current pace the period ends with about { $delivered } customers: { $gap } short.
plan-delivered-on-track = At the current pace the period ends with about { $delivered } customers: on track.
plan-weakest = Weakest step: { $from } → { $to } at { $conversion } (its median of the last four quarters: { $median }); back at its median it would add { $closes } of the customers short.
plan-weakest-none = Weakest step: none below its median of the last four quarters.
plan-by-none = By { $by }: no entries in the basis.
plan-by-title = By { $by }, the fewest MQLs for { $customers } first (each as if it delivered them alone):
plan-owes = To win { $customers } { $period }, marketing owes { $mqls } MQLs{ $month }{ $pace }
plan-owes-month = : { $month } a month
plan-pace-on-track = ; pace now { $pace } a month: on track.
plan-pace-short = ; pace now { $pace } a month: { $short } a month short.
plan-pace-none = .
plan-owes-range = To win { $customers } { $period }, marketing owes { $range } MQLs (too little data for one number; 90% interval).
plan-owes-none = To win { $customers } { $period }: no MQLs in the basis to plan from.
plan-chart-title = Plan: { $customers } in { $period }
plan-chart-by-subtitle = MQLs each { $by } needs for them alone (fewest first), from { $basis } conversions
plan-chart-subtitle = Needed (outline) and where the pace ends (bar), { $elapsed } gone; conversions of { $basis }
plan-series-needed = MQLs needed
plan-series-so-far = MQLs so far
