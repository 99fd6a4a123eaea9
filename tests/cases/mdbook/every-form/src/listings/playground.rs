fn main() {
    let numbers = [1, 2, 3];
    let total: i32 = numbers.iter().sum();
    println!("The total is {total}.");
}
