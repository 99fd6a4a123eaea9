// This file lives outside `src`, inside the project.
fn square(x: i32) -> i32 {
    x * x
}
