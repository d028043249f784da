"""The success network's tables as a form: one number per cell, grouped back into table rows.

The form only parses numbers; whether the rows are probabilities that sum to one is the
engine's rule, checked by ``predictive.save_network_tables``."""

from __future__ import annotations

from typing import Any

from django import forms

from seedbed.engine.predict import BayesianNetwork


def cell_name(variable: str, row: int, state: str) -> str:
    return f"{variable}-{row}-{state}"


def row_label(variable: str, given: dict[str, str], state: str) -> str:
    condition = ", ".join(f"{p}={s}" for p, s in given.items())
    return f"P({variable}={state} | {condition})" if condition else f"P({variable}={state})"


class NetworkTablesForm(forms.Form):
    """Initial values are the network's current tables."""

    def __init__(self, network: BayesianNetwork, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.network = network
        self.layout: list[dict[str, Any]] = []
        for variable in network.variables:
            rows = []
            for r, row in enumerate(network.cpt_rows(variable)):
                names = []
                for state, probability in row["probabilities"].items():
                    name = cell_name(variable, r, state)
                    label = row_label(variable, row["given"], state)
                    self.fields[name] = forms.FloatField(
                        label=label,
                        initial=round(probability, 6),
                        widget=forms.NumberInput(
                            attrs={"step": "any", "class": "cell", "aria-label": label}
                        ),
                    )
                    names.append(name)
                rows.append({"given": row["given"], "names": names})
            self.layout.append(
                {
                    "variable": variable,
                    "parents": list(network.parents[variable]),
                    "states": list(network.states[variable]),
                    "rows": rows,
                }
            )

    def tables(self) -> list[dict[str, Any]]:
        """The layout with bound fields, for the template."""
        return [
            table
            | {"rows": [row | {"cells": [self[n] for n in row["names"]]} for row in table["rows"]]}
            for table in self.layout
        ]

    def cleaned_tables(self) -> dict[str, list[dict[str, Any]]]:
        """Rows in the engine's format, from a valid form."""
        tables: dict[str, list[dict[str, Any]]] = {}
        for table in self.layout:
            tables[table["variable"]] = [
                {
                    "given": dict(row["given"]),
                    "probabilities": {
                        state: self.cleaned_data[name]
                        for state, name in zip(table["states"], row["names"], strict=True)
                    },
                }
                for row in table["rows"]
            ]
        return tables
