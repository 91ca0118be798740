//! Maximum spanning arborescence (Chu-Liu/Edmonds) with a single root.
//!
//! `scores[d][h]` is the score of word `h` heading word `d`; index 0 is the
//! artificial root, words are 1..n. The result gives each word its head
//! (`heads[0]` is unused and 0): a tree in which exactly one word hangs
//! from the root.

/// The best tree with one word under the root.
pub fn decode(scores: &[Vec<f32>]) -> Vec<usize> {
    let n = scores.len();
    if n <= 1 {
        return vec![0; n];
    }
    let heads = mst(scores);
    let roots: Vec<usize> = (1..n).filter(|&d| heads[d] == 0).collect();
    if roots.len() == 1 {
        return heads;
    }
    // Several words on the root: keep the one that loses most by leaving
    // it (root score against its best other head), forbid the others.
    let best_other = |d: usize| {
        (1..n)
            .filter(|&h| h != d)
            .map(|h| scores[d][h])
            .fold(f32::NEG_INFINITY, f32::max)
    };
    let root = roots
        .iter()
        .copied()
        .max_by(|&a, &b| (scores[a][0] - best_other(a)).total_cmp(&(scores[b][0] - best_other(b))))
        .unwrap_or(1);
    let mut s = scores.to_vec();
    for (d, row) in s.iter_mut().enumerate().skip(1) {
        if d != root {
            row[0] = f32::NEG_INFINITY;
        }
    }
    mst(&s)
}

/// Chu-Liu/Edmonds: the maximum spanning arborescence rooted at 0.
pub fn mst(scores: &[Vec<f32>]) -> Vec<usize> {
    let n = scores.len();
    // Finite scores: -inf edges become very low but comparable.
    let w = |d: usize, h: usize| -> f64 {
        let s = scores[d][h] as f64;
        if s.is_finite() {
            s
        } else {
            -1e30
        }
    };
    let edges: Vec<(usize, usize, f64)> = (1..n)
        .flat_map(|d| (0..n).filter(move |&h| h != d).map(move |h| (h, d, 0.0)))
        .map(|(h, d, _)| (h, d, w(d, h)))
        .collect();
    let parents = edmonds(n, 0, &edges);
    let mut heads = vec![0; n];
    for d in 1..n {
        heads[d] = parents[d].unwrap_or(0);
    }
    heads
}

/// Edmonds' algorithm on a dense graph given as (from, to, weight) edges;
/// returns the parent of each node in the maximum arborescence rooted at `root`.
fn edmonds(n: usize, root: usize, edges: &[(usize, usize, f64)]) -> Vec<Option<usize>> {
    // Best incoming edge per node.
    let mut best: Vec<Option<(usize, f64, usize)>> = vec![None; n]; // (from, w, edge idx)
    for (i, &(u, v, wt)) in edges.iter().enumerate() {
        if v == root || u == v {
            continue;
        }
        if best[v].is_none_or(|(_, bw, _)| wt > bw) {
            best[v] = Some((u, wt, i));
        }
    }
    // Find a cycle among the chosen edges.
    let mut cycle: Option<Vec<usize>> = None;
    let mut color = vec![0usize; n]; // 0 unvisited, k: visited in walk k
    for start in 0..n {
        if color[start] != 0 {
            continue;
        }
        let mut path = Vec::new();
        let mut v = start;
        while v != root && color[v] == 0 {
            color[v] = start + 1;
            path.push(v);
            match best[v] {
                Some((u, _, _)) => v = u,
                None => break,
            }
        }
        if v != root && color[v] == start + 1 && best[v].is_some() {
            // v is on a cycle reached in this walk.
            let mut c = vec![v];
            let mut u = best[v].map(|b| b.0).unwrap_or(root);
            while u != v {
                c.push(u);
                u = best[u].map(|b| b.0).unwrap_or(root);
            }
            cycle = Some(c);
            break;
        }
    }
    let Some(cycle) = cycle else {
        return best.iter().map(|b| b.map(|(u, _, _)| u)).collect();
    };
    // Contract the cycle into a new node `c`.
    let in_cycle: Vec<bool> = (0..n).map(|v| cycle.contains(&v)).collect();
    let mut map = vec![0usize; n];
    let mut k = 0;
    for v in 0..n {
        if !in_cycle[v] {
            map[v] = k;
            k += 1;
        }
    }
    let c = k;
    for &v in &cycle {
        map[v] = c;
    }
    let cyc_w = |v: usize| best[v].map(|b| b.1).unwrap_or(0.0);
    // New edges, remembering the original edge each stands for.
    let mut new_edges = Vec::new();
    let mut origin = Vec::new();
    for (i, &(u, v, wt)) in edges.iter().enumerate() {
        let (nu, nv) = (map[u], map[v]);
        if nu == nv {
            continue;
        }
        let nw = if in_cycle[v] { wt - cyc_w(v) } else { wt };
        new_edges.push((nu, nv, nw));
        origin.push(i);
    }
    let sub = edmonds(c + 1, map[root], &new_edges);
    // Expand: the edge entering the cycle breaks the cycle at its target.
    let mut parent: Vec<Option<usize>> = best.iter().map(|b| b.map(|(u, _, _)| u)).collect();
    let m = c + 1;
    // The best original edge realising each contracted edge (a -> b).
    let mut realise: Vec<Option<(usize, f64)>> = vec![None; m * m];
    for (j, &(a, b, nw)) in new_edges.iter().enumerate() {
        let slot = &mut realise[a * m + b];
        if slot.is_none_or(|(_, pw)| nw > pw) {
            *slot = Some((origin[j], nw));
        }
    }
    let mut chosen = vec![false; edges.len()];
    for (nv, p) in sub.iter().enumerate() {
        let Some(nu) = *p else { continue };
        if let Some((i, _)) = realise[nu * m + nv] {
            chosen[i] = true;
        }
    }
    for (i, &(u, v, _)) in edges.iter().enumerate() {
        if chosen[i] {
            parent[v] = Some(u);
        }
    }
    parent
}

#[cfg(test)]
mod tests {
    use super::*;

    fn is_tree(h: &[usize]) -> bool {
        let n = h.len();
        (1..n).all(|d| {
            let mut v = d;
            for _ in 0..n {
                if v == 0 {
                    return true;
                }
                v = h[v];
            }
            false
        })
    }

    #[test]
    fn greedy_heads_that_form_a_tree_are_kept() {
        // root -> 2, 2 -> 1, 2 -> 3
        let s = vec![
            vec![0.0; 4],
            vec![0.0, -5.0, 3.0, 0.0],
            vec![4.0, 0.0, -5.0, 0.0],
            vec![0.0, 0.0, 3.0, -5.0],
        ];
        assert_eq!(decode(&s), vec![0, 2, 0, 2]);
    }

    #[test]
    fn a_cycle_is_broken_at_its_cheapest_point() {
        // Greedy: 1 <- 2, 2 <- 1 (a cycle); root prefers 1 slightly.
        let s = vec![vec![0.0; 3], vec![1.0, -9.0, 5.0], vec![0.5, 5.0, -9.0]];
        let h = decode(&s);
        assert!(is_tree(&h));
        assert_eq!(h, vec![0, 0, 1]);
    }

    #[test]
    fn only_one_word_hangs_from_the_root() {
        let s = vec![
            vec![0.0; 4],
            vec![9.0, -9.0, 1.0, 0.0],
            vec![9.0, 1.0, -9.0, 0.0],
            vec![9.0, 0.0, 1.0, -9.0],
        ];
        let h = decode(&s);
        assert!(is_tree(&h));
        assert_eq!((1..4).filter(|&d| h[d] == 0).count(), 1);
    }

    #[test]
    fn random_scores_always_give_a_tree_at_least_as_good_as_brute_force() {
        use rand::{Rng, SeedableRng};
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for n in 2..6 {
            for _ in 0..30 {
                let s: Vec<Vec<f32>> = (0..n)
                    .map(|_| (0..n).map(|_| rng.gen_range(-3.0..3.0)).collect())
                    .collect();
                let h = mst(&s);
                assert!(is_tree(&h));
                let total = |h: &[usize]| (1..n).map(|d| s[d][h[d]]).sum::<f32>();
                // Brute force over all head assignments.
                let mut best = f32::NEG_INFINITY;
                let mut cand = vec![0usize; n];
                let count = n.pow((n - 1) as u32);
                for mut code in 0..count {
                    for c in cand.iter_mut().skip(1) {
                        *c = code % n;
                        code /= n;
                    }
                    if (1..n).all(|d| cand[d] != d) && is_tree(&cand) {
                        best = best.max(total(&cand));
                    }
                }
                assert!((total(&h) - best).abs() < 1e-4, "{s:?} {h:?}");
            }
        }
    }
}
