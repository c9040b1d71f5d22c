// https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/api_tokens
// generated from terraform resource schema

import { Construct } from 'constructs';
import * as cdktf from 'cdktf';

// Configuration

export interface DataAgynApiTokensConfig extends cdktf.TerraformMetaArguments {
  /**
  * Keep only tokens whose `description` starts with this text (case-sensitive), e.g. `"ci-"`.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/api_tokens#description_prefix DataAgynApiTokens#description_prefix}
  */
  readonly descriptionPrefix?: string;
  /**
  * `true` keeps only expired tokens (expiry at or before now), `false` only live ones, including tokens without an expiry. Omit it for both.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/api_tokens#expired DataAgynApiTokens#expired}
  */
  readonly expired?: boolean | cdktf.IResolvable;
  /**
  * Keep only tokens not used for at least this long, as a Go duration (e.g. `"720h"` for 30 days): their `last_used_at`, or `created_at` for a token never used, is at least this long before now.
  *
  * Docs at Terraform Registry: {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/api_tokens#unused_since DataAgynApiTokens#unused_since}
  */
  readonly unusedSince?: string;
}
export interface DataAgynApiTokensTokens {
}

export function dataAgynApiTokensTokensToTerraform(struct?: DataAgynApiTokensTokens): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  return {
  }
}


export function dataAgynApiTokensTokensToHclTerraform(struct?: DataAgynApiTokensTokens): any {
  if (!cdktf.canInspect(struct) || cdktf.Tokenization.isResolvable(struct)) { return struct; }
  if (cdktf.isComplexElement(struct)) {
    throw new Error("A complex element was used as configuration, this is not supported: https://cdk.tf/complex-object-as-configuration");
  }
  const attrs = {
  };
  return attrs;
}

export class DataAgynApiTokensTokensOutputReference extends cdktf.ComplexObject {
  private isEmptyObject = false;

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param complexObjectIndex the index of this item in the list
  * @param complexObjectIsFromSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  public constructor(terraformResource: cdktf.IInterpolatingParent, terraformAttribute: string, complexObjectIndex: number, complexObjectIsFromSet: boolean) {
    super(terraformResource, terraformAttribute, complexObjectIsFromSet, complexObjectIndex);
  }

  public get internalValue(): DataAgynApiTokensTokens | undefined {
    let hasAnyValues = this.isEmptyObject;
    const internalValueResult: any = {};
    return hasAnyValues ? internalValueResult : undefined;
  }

  public set internalValue(value: DataAgynApiTokensTokens | undefined) {
    if (value === undefined) {
      this.isEmptyObject = false;
    }
    else {
      this.isEmptyObject = Object.keys(value).length === 0;
    }
  }

  // created_at - computed: true, optional: false, required: false
  public get createdAt() {
    return this.getStringAttribute('created_at');
  }

  // description - computed: true, optional: false, required: false
  public get description() {
    return this.getStringAttribute('description');
  }

  // expired - computed: true, optional: false, required: false
  public get expired() {
    return this.getBooleanAttribute('expired');
  }

  // expires_at - computed: true, optional: false, required: false
  public get expiresAt() {
    return this.getStringAttribute('expires_at');
  }

  // id - computed: true, optional: false, required: false
  public get id() {
    return this.getStringAttribute('id');
  }

  // last_used_at - computed: true, optional: false, required: false
  public get lastUsedAt() {
    return this.getStringAttribute('last_used_at');
  }

  // token_prefix - computed: true, optional: false, required: false
  public get tokenPrefix() {
    return this.getStringAttribute('token_prefix');
  }
}

export class DataAgynApiTokensTokensList extends cdktf.ComplexList {

  /**
  * @param terraformResource The parent resource
  * @param terraformAttribute The attribute on the parent resource this class is referencing
  * @param wrapsSet whether the list is wrapping a set (will add tolist() to be able to access an item via an index)
  */
  constructor(protected terraformResource: cdktf.IInterpolatingParent, protected terraformAttribute: string, protected wrapsSet: boolean) {
    super(terraformResource, terraformAttribute, wrapsSet)
  }

  /**
  * @param index the index of the item to return
  */
  public get(index: number): DataAgynApiTokensTokensOutputReference {
    return new DataAgynApiTokensTokensOutputReference(this.terraformResource, this.terraformAttribute, index, this.wrapsSet);
  }
}

/**
* Represents a {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/api_tokens agyn_api_tokens}
*/
export class DataAgynApiTokens extends cdktf.TerraformDataSource {

  // =================
  // STATIC PROPERTIES
  // =================
  public static readonly tfResourceType = "agyn_api_tokens";

  // ==============
  // STATIC Methods
  // ==============
  /**
  * Generates CDKTF code for importing a DataAgynApiTokens resource upon running "cdktf plan <stack-name>"
  * @param scope The scope in which to define this construct
  * @param importToId The construct id used in the generated config for the DataAgynApiTokens to import
  * @param importFromId The id of the existing DataAgynApiTokens that should be imported. Refer to the {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/api_tokens#import import section} in the documentation of this resource for the id to use
  * @param provider? Optional instance of the provider where the DataAgynApiTokens to import is found
  */
  public static generateConfigForImport(scope: Construct, importToId: string, importFromId: string, provider?: cdktf.TerraformProvider) {
        return new cdktf.ImportableResource(scope, importToId, { terraformResourceType: "agyn_api_tokens", importId: importFromId, provider });
      }

  // ===========
  // INITIALIZER
  // ===========

  /**
  * Create a new {@link https://registry.terraform.io/providers/agynio/agyn/0.1.0/docs/data-sources/api_tokens agyn_api_tokens} Data Source
  *
  * @param scope The scope in which to define this construct
  * @param id The scoped construct ID. Must be unique amongst siblings in the same scope
  * @param options DataAgynApiTokensConfig = {}
  */
  public constructor(scope: Construct, id: string, config: DataAgynApiTokensConfig = {}) {
    super(scope, id, {
      terraformResourceType: 'agyn_api_tokens',
      terraformGeneratorMetadata: {
        providerName: 'agyn',
        providerVersion: '0.1.0',
        providerVersionConstraint: '0.1.0'
      },
      provider: config.provider,
      dependsOn: config.dependsOn,
      count: config.count,
      lifecycle: config.lifecycle,
      provisioners: config.provisioners,
      connection: config.connection,
      forEach: config.forEach
    });
    this._descriptionPrefix = config.descriptionPrefix;
    this._expired = config.expired;
    this._unusedSince = config.unusedSince;
  }

  // ==========
  // ATTRIBUTES
  // ==========

  // description_prefix - computed: false, optional: true, required: false
  private _descriptionPrefix?: string; 
  public get descriptionPrefix() {
    return this.getStringAttribute('description_prefix');
  }
  public set descriptionPrefix(value: string) {
    this._descriptionPrefix = value;
  }
  public resetDescriptionPrefix() {
    this._descriptionPrefix = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get descriptionPrefixInput() {
    return this._descriptionPrefix;
  }

  // expired - computed: false, optional: true, required: false
  private _expired?: boolean | cdktf.IResolvable; 
  public get expired() {
    return this.getBooleanAttribute('expired');
  }
  public set expired(value: boolean | cdktf.IResolvable) {
    this._expired = value;
  }
  public resetExpired() {
    this._expired = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get expiredInput() {
    return this._expired;
  }

  // tokens - computed: true, optional: false, required: false
  private _tokens = new DataAgynApiTokensTokensList(this, "tokens", false);
  public get tokens() {
    return this._tokens;
  }

  // unused_since - computed: false, optional: true, required: false
  private _unusedSince?: string; 
  public get unusedSince() {
    return this.getStringAttribute('unused_since');
  }
  public set unusedSince(value: string) {
    this._unusedSince = value;
  }
  public resetUnusedSince() {
    this._unusedSince = undefined;
  }
  // Temporarily expose input value. Use with caution.
  public get unusedSinceInput() {
    return this._unusedSince;
  }

  // =========
  // SYNTHESIS
  // =========

  protected synthesizeAttributes(): { [name: string]: any } {
    return {
      description_prefix: cdktf.stringToTerraform(this._descriptionPrefix),
      expired: cdktf.booleanToTerraform(this._expired),
      unused_since: cdktf.stringToTerraform(this._unusedSince),
    };
  }

  protected synthesizeHclAttributes(): { [name: string]: any } {
    const attrs = {
      description_prefix: {
        value: cdktf.stringToHclTerraform(this._descriptionPrefix),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
      expired: {
        value: cdktf.booleanToHclTerraform(this._expired),
        isBlock: false,
        type: "simple",
        storageClassType: "boolean",
      },
      unused_since: {
        value: cdktf.stringToHclTerraform(this._unusedSince),
        isBlock: false,
        type: "simple",
        storageClassType: "string",
      },
    };

    // remove undefined attributes
    return Object.fromEntries(Object.entries(attrs).filter(([_, value]) => value !== undefined && value.value !== undefined ))
  }
}
