// A listing included whole, by anchor and by rustdoc_include.
// ANCHOR: helper
fn greeting() -> &'static str {
    "Hello"
}
// ANCHOR_END: helper

// ANCHOR: main
fn main() {
    // ANCHOR: call
    let text = greeting();
    // ANCHOR_END: call
    println!("{text}, world.");
}
// ANCHOR_END: main
