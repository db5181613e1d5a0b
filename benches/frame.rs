//! Key event to finished frame: `update` plus drawing on the screen (as
//! the binary does) with a 200x50 TestBackend, for meetings of 100 to
//! 100,000 notes. Should be flat.

mod common;

fn main() {
    divan::main();
}

const SIZES: [usize; 4] = [100, 1_000, 10_000, 100_000];

#[divan::bench(args = SIZES)]
fn type_a_key(bencher: divan::Bencher, notes: usize) {
    let mut typist = common::Typist::new(notes);
    bencher.bench_local(|| typist.type_a_key());
}
