pub mod include;
