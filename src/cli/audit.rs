//! `paylink audit verify`: walks every merchant's audit chain from its start, recomputing each
//! hash. Prints `ok: N entries` (and each chain's head, which an operator can note elsewhere to
//! detect a rewrite of the whole chain later) or fails naming the first bad entry.

use crate::service::Ctx;
use crate::service::audit::{self, Verdict};

/// Runs one audit command.
pub async fn run(ctx: &Ctx, words: &[&str]) -> Result<(), String> {
    match words {
        ["verify"] => verify(ctx).await,
        _ => Err("unknown audit command; run `paylink --help`".to_owned()),
    }
}

async fn verify(ctx: &Ctx) -> Result<(), String> {
    match audit::verify(ctx).await.map_err(|e| e.to_string())? {
        Verdict::Intact { entries, heads, unchained } => {
            println!("ok: {entries} entries");
            for (merchant, head) in heads {
                println!("chain {merchant}: seq {} head {}", head.last_seq, head.last_hash);
            }
            if unchained > 0 {
                println!("{unchained} newer entries are not chained yet, so not checked (`paylink serve` chains them)");
            }
            Ok(())
        }
        Verdict::Broken(merchant, b) => {
            Err(format!("audit chain of {merchant} is broken at entry {} (seq {}): {}", b.id, b.seq, b.problem))
        }
    }
}
