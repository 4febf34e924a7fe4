use super::*;

fn model() -> Model {
    let toml = "[plan]\nperiods = 4\nstart = \"2027Q1\"\n\n[[teams]]\nid = \"web\"\ncapacity = 40\n\n\
        [[features]]\nid = \"sso\"\neffort = { web = 5 }\nvalue = 1\n\n\
        [[features]]\nid = \"audit\"\neffort = { web = 5 }\nvalue = 1\nrequires = [{ id = \"sso\", lag = 1 }]\n\n\
        [[features]]\nid = \"export\"\neffort = { web = 5 }\nvalue = 1\n";
    crate::scenario::load_text(Path::new("t.toml"), toml.to_string(), &|p| std::fs::read(p))
        .unwrap_or_else(|e| panic!("{e:?}"))
        .model
}

fn messages(findings: &[Finding]) -> Vec<String> {
    findings.iter().map(ToString::to_string).collect()
}

#[test]
fn csv_plans_read_any_separator_header_case_and_blank_lines() {
    let m = model();
    let text = "\u{feff}\n Feature ;Name;Release\n\nsso;SSO;2027q2\n  ;  ;  \naudit;\"Audit; log\";4\nexport;Export;Not Planned\n";
    let read = read_plan_text("p.csv", text, &m).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(read.plan.periods, vec![Some(1), Some(3), None]);
    assert!(read.warnings.is_empty(), "{:?}", messages(&read.warnings));
}

#[test]
fn csv_lines_count_from_the_top_of_the_file() {
    let m = model();
    let err = read_plan_text("p.csv", "\nfeature,period\n\nsso,1\nssso,2\n", &m).unwrap_err();
    assert_eq!(
        messages(&err)[0].lines().next().unwrap(),
        "error: p.csv:5: column `feature`: unknown feature `ssso`"
    );
}

#[test]
fn json_items_are_located_even_where_ids_repeat_in_other_keys() {
    let m = model();
    let text = r#"{"note": {"feature": "x", "plan": 3},
 "plan": [
  {"feature": "sso", "period": "2027Q1"},
  {"period": 9,
   "feature": "audit"}
 ]}"#;
    let err = read_plan_text("p.json", text, &m).unwrap_err();
    assert_eq!(
        messages(&err),
        ["error: p.json:4:14: plan[1].period: period 9 is out of range: the plan has 4 periods\n  help: use a period from 2027Q1 to 2027Q4 or a number from 1 to 4; write null to leave the feature out"]
    );
}

#[test]
fn json_spans_survive_escapes_and_nesting() {
    let text = "[{\"a\\\"]\": [1, {\"b\": \"]}\"}], \"feature\": \"x\"}, 5, {\"feature\": \"y\"}]";
    let items = json_spans::plan_items(text);
    assert_eq!(items.len(), 3);
    assert_eq!(&text[items[0].value_of("feature").unwrap()..][..3], "\"x\"");
    assert_eq!(items[1].value_of("feature"), None);
    assert_eq!(&text[items[2].value_of("feature").unwrap()..][..3], "\"y\"");
}

#[test]
fn order_text_skips_comments_and_keeps_the_order_as_written() {
    let m = model();
    let read = read_order_text("o.txt", "# top first\n\naudit  # needs sso\nsso\n", &m)
        .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(read.order.features, vec![1, 0]);
}

#[test]
fn order_csv_uses_the_feature_column_and_counts_lines_from_the_top() {
    let m = model();
    let read = read_order_text(
        "o.csv",
        "# export\nname\tID\nExport\texport\n\nSSO\tsso\n",
        &m,
    )
    .unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(read.order.features, vec![2, 0]);
    let err = read_order_text("o.csv", "# export\nname,id\nx,sso\ny,sso\n", &m).unwrap_err();
    assert_eq!(
        messages(&err)[0].lines().next().unwrap(),
        "error: o.csv:4: column `id`: `sso` is listed twice (first on line 3)"
    );
}

#[test]
fn comment_lines_inside_a_csv_keep_line_numbers_right() {
    let m = model();
    let text = "# plan\n  # indented\nfeature,period\n# a comment, with \"quotes\nsso,1\nssso,2\n";
    let err = read_plan_text("p.csv", text, &m).unwrap_err();
    assert_eq!(
        messages(&err)[0].lines().next().unwrap(),
        "error: p.csv:6: column `feature`: unknown feature `ssso`"
    );
    let err = read_order_text("o.csv", text, &m).unwrap_err();
    assert_eq!(
        messages(&err)[0].lines().next().unwrap(),
        "error: o.csv:6: column `feature`: unknown feature `ssso`"
    );
}

#[test]
fn a_json_plan_given_as_an_order_is_one_error() {
    let err =
        read_order_text("o.json", "{\"plan\": [\n{\"feature\": \"sso\"}]}", &model()).unwrap_err();
    assert_eq!(err.len(), 1);
}

#[test]
fn both_sides_of_an_exclusion_and_a_one_period_plan_are_handled() {
    let toml =
        "[plan]\nperiods = 1\nstart = \"Launch\"\n\n[[teams]]\nid = \"web\"\ncapacity = 40\n\n\
        [[features]]\nid = \"a\"\neffort = { web = 1 }\nvalue = 1\n\n\
        [[features]]\nid = \"b\"\neffort = { web = 1 }\nvalue = 1\nexcludes = [\"a\"]\n";
    let m =
        crate::scenario::load_text(Path::new("t.toml"), toml.to_string(), &|p| std::fs::read(p))
            .unwrap_or_else(|e| panic!("{e:?}"))
            .model;
    let err = read_plan_text("p.csv", "feature,period\na,launch\nb,1\n", &m).unwrap_err();
    assert_eq!(messages(&err), ["error: p.csv:3: column `period`: `b` and `a` exclude each other, but both are planned (`a` on line 2)\n  help: they are alternatives: leave `b` or `a` out of the plan"]);
    let err = read_plan_text("p.csv", "feature,period\na,2\n", &m).unwrap_err();
    assert!(messages(&err)[0].ends_with("help: use the period Launch or the number 1; leave the cell empty (or write `none`) to leave the feature out"), "{err:?}");
}

#[test]
fn a_lone_id_line_is_a_feature_when_the_scenario_has_one_by_that_name() {
    let toml = "[plan]\nperiods = 2\n\n[[teams]]\nid = \"web\"\ncapacity = 40\n\n\
        [[features]]\nid = \"id\"\neffort = { web = 1 }\nvalue = 1\n";
    let m =
        crate::scenario::load_text(Path::new("t.toml"), toml.to_string(), &|p| std::fs::read(p))
            .unwrap_or_else(|e| panic!("{e:?}"))
            .model;
    let read = read_order_text("o.txt", "id\n", &m).unwrap_or_else(|e| panic!("{e:?}"));
    assert_eq!(read.order.features, vec![0]);
}
