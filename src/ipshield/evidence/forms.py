"""Evidence forms. They only parse: size, emptiness and permissions are the services' checks."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class EvidenceUploadForm(forms.Form):
    """A rights holder preserves a file, on its own or for one of their complaints."""

    file = forms.FileField(
        label=_("存证文件"),
        required=False,  # the service names a missing or empty file, with the size limit
        allow_empty_file=True,
        help_text=_("任何类型的文件：照片、视频、合同、网页截图、聊天记录……"),
    )
    case = forms.ModelChoiceField(
        label=_("关联投诉（可选）"),
        queryset=None,
        required=False,
        empty_label=_("不关联，单独存证"),
    )

    def __init__(self, *args, complaints=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = complaints
        self.fields["case"].label_from_instance = lambda case: f"{case.number} {case.title}"


class CaseEvidenceForm(forms.Form):
    file = forms.FileField(label=_("存证文件"), required=False, allow_empty_file=True)


class WebCaptureForm(forms.Form):
    """A rights holder captures a web page, on its own or for one of their complaints.

    Used with ``prefix="capture"`` on the page that also has the upload form.
    """

    url = forms.CharField(
        label=_("网址"),
        required=False,  # the service names a missing or refused URL, with a stable code
        max_length=4096,
        widget=forms.URLInput(
            attrs={"placeholder": "https://", "spellcheck": "false", "autocomplete": "off"}
        ),
        help_text=_("平台从服务器访问该网址，保存网页内容、响应头和截图，并写入存证账本。"),
    )
    case = forms.ModelChoiceField(
        label=_("关联投诉（可选）"),
        queryset=None,
        required=False,
        empty_label=_("不关联，单独存证"),
    )

    def __init__(self, *args, complaints=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["case"].queryset = complaints
        self.fields["case"].label_from_instance = lambda case: f"{case.number} {case.title}"


class CaseCaptureForm(forms.Form):
    url = forms.CharField(label=_("网址"), required=False, max_length=4096)


class VerifyForm(forms.Form):
    file = forms.FileField(
        label=_("文件"),
        required=False,
        allow_empty_file=True,
        help_text=_("要核验的文件。也可以不上传文件，只填写它的 SHA-256。"),
    )
    sha256 = forms.CharField(
        label=_("或：文件的 SHA-256"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    receipt = forms.FileField(
        label=_("存证回执（JSON，可选）"),
        required=False,
        allow_empty_file=True,
        help_text=_("存证时下载的 .json 回执。提供回执可离开平台数据库独立证明存证。"),
    )
    receipt_text = forms.CharField(
        label=_("或：粘贴回执内容"),
        required=False,
        max_length=200_000,
        widget=forms.Textarea(attrs={"rows": 3, "spellcheck": "false"}),
    )
