"""What routes receive from the application: settings and the model registry."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from auricle.config import Settings
from auricle.engine.registry import ModelRegistry


def _settings(request: Request) -> Settings:
    settings: Settings = request.app.state.settings
    return settings


def _registry(request: Request) -> ModelRegistry:
    registry: ModelRegistry = request.app.state.registry
    return registry


SettingsDep = Annotated[Settings, Depends(_settings)]
RegistryDep = Annotated[ModelRegistry, Depends(_registry)]
