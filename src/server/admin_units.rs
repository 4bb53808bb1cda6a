//! `dutydesk admin unit add|move|list`: the tree of units.

use rust_i18n::t;

use super::db::{Store, audit};
// Re-exported: the handlers' storage reads the tree through this path.
pub use super::storage::units::{UnitRow, load_units};
use super::storage::units::{insert_unit, set_parent};
use crate::cli::AdminUnitCommand;
use crate::domain::UnitKind;
use crate::domain::clock::now_ms;
use crate::domain::units::{TreeError, UnitLink, check_move};

pub fn links(rows: &[UnitRow]) -> Vec<UnitLink> {
    rows.iter()
        .map(|r| UnitLink {
            id: r.id,
            parent_id: r.parent_id,
        })
        .collect()
}

/// The tree as indented lines: `id<TAB>name<TAB>kind`, children under
/// their parent, two spaces a level.
pub fn tree_lines(rows: &[UnitRow]) -> Vec<String> {
    fn walk(rows: &[UnitRow], parent: Option<i64>, depth: usize, seen: &mut Vec<i64>, out: &mut Vec<String>) {
        for r in rows.iter().filter(|r| r.parent_id == parent) {
            if seen.contains(&r.id) {
                continue;
            }
            seen.push(r.id);
            out.push(format!("{}{}\t{}\t{}", "  ".repeat(depth), r.id, r.name, r.kind));
            walk(rows, Some(r.id), depth + 1, seen, out);
        }
    }
    let mut out = Vec::new();
    let mut seen = Vec::new();
    // Roots, and units whose parent is missing, start a tree each.
    let roots: Vec<Option<i64>> = std::iter::once(None)
        .chain(
            rows.iter()
                .filter_map(|r| r.parent_id)
                .filter(|p| !rows.iter().any(|r| r.id == *p))
                .map(Some),
        )
        .collect();
    for root in roots {
        walk(rows, root, 0, &mut seen, &mut out);
    }
    out
}

pub async fn run(store: &Store, cmd: AdminUnitCommand) -> anyhow::Result<()> {
    match cmd {
        AdminUnitCommand::Add {
            name, kind, parent, ..
        } => {
            let kind = UnitKind::parse(&kind).ok_or_else(|| {
                anyhow::anyhow!(t!(
                    "intake.bad_unit_kind",
                    value = kind,
                    kinds = UnitKind::codes()
                ))
            })?;
            let name = name.trim().to_string();
            if name.is_empty() {
                anyhow::bail!(t!("intake.unit_name_empty"));
            }
            let mut w = store.begin_write().await?;
            if let Some(p) = parent
                && !load_units(&mut *w.tx).await?.iter().any(|u| u.id == p)
            {
                anyhow::bail!(t!("server.no_unit", unit = p));
            }
            let id = insert_unit(&mut w.tx, &name, kind, parent).await?;
            audit(&mut w.tx, now_ms(), "unit.add", &format!("{id} {name}")).await?;
            w.tx.commit().await?;
            println!("{}", t!("intake.unit_added", id = id, name = name));
        }
        AdminUnitCommand::Move {
            unit, parent, root, ..
        } => {
            if parent.is_none() && !root {
                anyhow::bail!(t!("intake.unit_move_where"));
            }
            let mut w = store.begin_write().await?;
            let rows = load_units(&mut *w.tx).await?;
            match check_move(&links(&rows), unit, parent) {
                Ok(()) => {}
                Err(TreeError::UnknownUnit(u)) => anyhow::bail!(t!("server.no_unit", unit = u)),
                Err(TreeError::Cycle) => anyhow::bail!(t!("intake.unit_cycle", unit = unit)),
            }
            set_parent(&mut w.tx, unit, parent).await?;
            let to = parent.map_or_else(|| "-".to_string(), |p| p.to_string());
            audit(&mut w.tx, now_ms(), "unit.move", &format!("{unit} -> {to}")).await?;
            w.tx.commit().await?;
            println!("{}", t!("intake.unit_moved", unit = unit, parent = to));
        }
        AdminUnitCommand::List { .. } => {
            for line in tree_lines(&load_units(&store.pool).await?) {
                println!("{line}");
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tree_lines_indent_children() {
        let row = |id, parent_id: Option<i64>| UnitRow {
            id,
            name: format!("u{id}"),
            kind: "law_firm".into(),
            parent_id,
        };
        let rows = [
            row(1, Some(4)),
            row(2, Some(4)),
            row(4, None),
            row(5, Some(1)),
            row(7, Some(99)),
        ];
        assert_eq!(
            tree_lines(&rows),
            [
                "4\tu4\tlaw_firm",
                "  1\tu1\tlaw_firm",
                "    5\tu5\tlaw_firm",
                "  2\tu2\tlaw_firm",
                "7\tu7\tlaw_firm"
            ]
        );
    }
}
