/* pq-detail.c
 *
 * Copyright 2026 The Port Query authors
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include "pq-detail.h"

struct _PqDetail
{
  GObject     parent_instance;

  char       *kind;      /* machine-readable: "netbios-name", "ldap-attribute", ... */
  char       *label;
  char       *value;
  GListStore *children;  /* created on first append */
};

G_DEFINE_FINAL_TYPE (PqDetail, pq_detail, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_KIND,
  PROP_LABEL,
  PROP_VALUE,
  PROP_CHILDREN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
pq_detail_finalize (GObject *object)
{
  PqDetail *self = PQ_DETAIL (object);

  g_clear_pointer (&self->kind, g_free);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->value, g_free);
  g_clear_object (&self->children);

  G_OBJECT_CLASS (pq_detail_parent_class)->finalize (object);
}

static void
pq_detail_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  PqDetail *self = PQ_DETAIL (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_string (value, self->kind);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_VALUE:
      g_value_set_string (value, self->value);
      break;
    case PROP_CHILDREN:
      g_value_set_object (value, self->children);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
pq_detail_class_init (PqDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = pq_detail_finalize;
  object_class->get_property = pq_detail_get_property;

  properties[PROP_KIND] =
    g_param_spec_string ("kind", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALUE] =
    g_param_spec_string ("value", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHILDREN] =
    g_param_spec_object ("children", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
pq_detail_init (PqDetail *self)
{
}

PqDetail *
pq_detail_new (const char *kind,
               const char *label,
               const char *value)
{
  PqDetail *self = g_object_new (PQ_TYPE_DETAIL, NULL);

  self->kind = g_strdup (kind);
  self->label = g_strdup (label);
  self->value = g_strdup (value);
  return self;
}

const char *
pq_detail_get_kind (PqDetail *self)
{
  g_return_val_if_fail (PQ_IS_DETAIL (self), NULL);
  return self->kind;
}

const char *
pq_detail_get_label (PqDetail *self)
{
  g_return_val_if_fail (PQ_IS_DETAIL (self), NULL);
  return self->label;
}

const char *
pq_detail_get_value (PqDetail *self)
{
  g_return_val_if_fail (PQ_IS_DETAIL (self), NULL);
  return self->value;
}

/* Returns: (transfer none) (nullable): child details, or %NULL for a leaf */
GListModel *
pq_detail_get_children (PqDetail *self)
{
  g_return_val_if_fail (PQ_IS_DETAIL (self), NULL);
  return self->children ? G_LIST_MODEL (self->children) : NULL;
}

/* @child: (transfer none): the list takes a reference of its own; a caller
 * that made @child with pq_detail_new() still owns it and must unref it. */
void
pq_detail_append (PqDetail *self,
                  PqDetail *child)
{
  g_return_if_fail (PQ_IS_DETAIL (self));
  g_return_if_fail (PQ_IS_DETAIL (child));

  if (self->children == NULL)
    self->children = g_list_store_new (PQ_TYPE_DETAIL);
  g_list_store_append (self->children, child);
}
