//! What the benches share: the team they run Baton with. Each bench includes this file
//! with `mod common;`.

/// Three reps, their manager and an admin, working around the clock. No team channel, so
/// each alert is exactly one message (to the assignee), and no SLA policy: a bench that
/// wants clocks adds its own `[[sla]]`.
pub const TEAM: &str = r##"
[[calendar]]
name = "always"
timezone = "UTC"
hours = "Mon-Sun 00:00-24:00"

[[person]]
email = "root@acme.test"
name = "Root"
role = "admin"

[[person]]
email = "boss@acme.test"
name = "Boss"
role = "manager"
team = "sales"

[[person]]
email = "ann@acme.test"
name = "Ann"
role = "rep"
team = "sales"
calendar = "always"

[[person]]
email = "bob@acme.test"
name = "Bob"
role = "rep"
team = "sales"
calendar = "always"

[[person]]
email = "cid@acme.test"
name = "Cid"
role = "rep"
team = "sales"
calendar = "always"

[[team]]
name = "sales"
manager = "boss@acme.test"
"##;
